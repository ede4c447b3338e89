// The layout worker: runs fcose (graph/fcose-job.ts) away from the page, so a layout of thousands
// of nodes no longer freezes panning, clicks and the busy indicator.
import cytoscape from 'cytoscape';
import fcose from 'cytoscape-fcose';
import { answerBoxesFromPage, runFcoseJob, type FcoseAnswer, type FcoseJob } from './fcose-job.js';

cytoscape.use(fcose);
answerBoxesFromPage(cytoscape);

self.onmessage = (e: MessageEvent<FcoseJob>) => {
  try {
    const answer: FcoseAnswer = runFcoseJob(cytoscape, e.data);
    self.postMessage(answer, { transfer: [answer.x.buffer, answer.y.buffer] });
  } catch (err) {
    self.postMessage({ generation: e.data.generation, error: (err as Error).message });
  }
};
