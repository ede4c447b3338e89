// Draft review (docs/ingest.md): the report's paragraphs beside the draft graph. Clicking a
// paragraph highlights what it yields; clicking an item highlights its paragraphs; each item is
// accepted or rejected, or all at once, through reviewDraft. /review.html?draft=<id>, signed in
// with the viewer's key (sessionStorage) or ?key is never used: the key stays out of URLs.
import cytoscape from 'cytoscape';
import { gql, storedKey } from '../data/client.js';
import './review.css';

interface Mention { locator: string; surface: string }
interface Item { key: string; status: string; name?: string; kind?: string; match?: string; type?: string; from?: string; to?: string; assertion?: string; confidence?: number; mentions?: Mention[]; evidence?: { locator: string }[] }
interface Draft { id: string; title: string; pending: number; paragraphs: { locator: string; text: string }[]; entities: Item[]; links: Item[] }

const FIELDS = `id title pending paragraphs { locator text }
  entities { key status name kind match mentions { locator surface } }
  links { key status type from to assertion confidence evidence { locator } }`;

const $ = (id: string) => document.getElementById(id)!;
const draftId = new URLSearchParams(location.search).get('draft') ?? '';
let draft: Draft | null = null;
let cy: cytoscape.Core | null = null;

const locatorsOf = (item: Item) => [...new Set([...(item.mentions ?? []), ...(item.evidence ?? [])].map((m) => m.locator))];
const status = (text: string) => { $('draft-status').textContent = text; };

function highlight(locators: string[], keys: string[]): void {
  document.querySelectorAll('.review-paragraphs p').forEach((p) => p.classList.toggle('hit', locators.includes((p as HTMLElement).dataset.locator!)));
  document.querySelectorAll('#items li').forEach((li) => li.classList.toggle('hit', keys.includes((li as HTMLElement).dataset.key!)));
  cy?.elements().removeClass('hit');
  for (const k of keys) cy?.getElementById(k).addClass('hit');
}

function selectParagraph(locator: string): void {
  const items = [...draft!.entities, ...draft!.links].filter((i) => locatorsOf(i).includes(locator)).map((i) => i.key);
  highlight([locator], items);
}

function selectItem(key: string): void {
  const item = [...draft!.entities, ...draft!.links].find((i) => i.key === key);
  if (item) highlight(locatorsOf(item), [key]);
}

function render(d: Draft): void {
  draft = d;
  $('draft-title').textContent = d.title;
  status(`${d.pending} pending`);
  const paras = $('paragraphs');
  paras.replaceChildren(...d.paragraphs.map((p) => {
    const el = document.createElement('p');
    el.dataset.locator = p.locator;
    el.tabIndex = 0;
    el.innerHTML = '';
    const tag = document.createElement('b');
    tag.textContent = `${p.locator} `;
    el.append(tag, document.createTextNode(p.text));
    el.addEventListener('click', () => selectParagraph(p.locator));
    el.addEventListener('keydown', (e) => { if (e.key === 'Enter') selectParagraph(p.locator); });
    return el;
  }));
  const names = new Map(d.entities.map((e) => [e.key, e.name ?? e.key]));
  $('items').replaceChildren(...[...d.entities, ...d.links].map((i) => {
    const li = document.createElement('li');
    li.dataset.key = i.key;
    li.dataset.status = i.status;
    const label = document.createElement('span');
    label.textContent = i.type
      ? `${i.key} ${names.get(i.from!)} —${i.type}${i.assertion === 'NEGATED' ? ' (not)' : ''}→ ${names.get(i.to!)} (${i.confidence})`
      : `${i.key} ${i.kind} ${i.name} ${i.match === 'NEW' ? '(new)' : ''}`;
    label.addEventListener('click', () => selectItem(i.key));
    li.append(label, ` [${i.status}] `);
    if (i.status === 'PENDING') {
      for (const action of ['ACCEPT', 'REJECT'] as const) {
        const b = document.createElement('button');
        b.type = 'button';
        b.className = action.toLowerCase();
        b.textContent = action === 'ACCEPT' ? 'Accept' : 'Reject';
        b.addEventListener('click', () => void review([{ key: i.key, action }], null));
        li.append(b);
      }
    }
    return li;
  }));
  cy?.destroy();
  cy = cytoscape({
    container: $('draft-cy'),
    elements: [
      ...d.entities.map((e) => ({ data: { id: e.key, label: e.name }, classes: `${e.match === 'NEW' ? 'new' : ''} ${e.status.toLowerCase()}` })),
      ...d.links.map((l) => ({ data: { id: l.key, source: l.from, target: l.to, label: l.type }, classes: `${l.assertion === 'NEGATED' ? 'negated' : ''} ${l.status.toLowerCase()}` })),
    ],
    style: [
      { selector: 'node', style: { label: 'data(label)', 'font-size': 9, 'background-color': '#5b7db1', width: 14, height: 14 } },
      { selector: 'node.new', style: { 'background-color': '#d9822b' } },
      { selector: 'edge', style: { label: 'data(label)', 'font-size': 7, width: 1.5, 'curve-style': 'bezier', 'target-arrow-shape': 'triangle', 'line-color': '#999', 'target-arrow-color': '#999' } },
      { selector: 'edge.negated', style: { 'line-style': 'dashed' } },
      { selector: '.rejected', style: { opacity: 0.25 } },
      { selector: '.hit', style: { 'border-width': 3, 'border-color': '#e0245e', 'line-color': '#e0245e', 'target-arrow-color': '#e0245e' } },
    ],
    layout: { name: 'cose', animate: false },
  });
  cy.on('tap', 'node, edge', (e) => selectItem((e.target as cytoscape.SingularElementArgument).id()));
  (window as unknown as { draftCy: cytoscape.Core }).draftCy = cy;
}

async function load(): Promise<void> {
  if (!storedKey()) { status('Sign in with an analyst key in the viewer first.'); return; }
  const r = await gql<{ draft: Draft | null }>(`query($id: ID!) { draft(id: $id) { ${FIELDS} } }`, { id: draftId });
  if (!r.draft) { status('No such draft, or not yours to see.'); return; }
  render(r.draft);
}

async function review(decisions: { key: string; action: string }[], all: string | null): Promise<void> {
  try {
    const r = await gql<{ reviewDraft: { draft: Draft; accepted: number; rejected: number } }>(
      `mutation($id: ID!, $decisions: [ReviewDecision!], $all: ReviewAction) { reviewDraft(id: $id, decisions: $decisions, all: $all) { accepted rejected draft { ${FIELDS} } } }`,
      { id: draftId, decisions, all });
    render(r.reviewDraft.draft);
    status(`${r.reviewDraft.accepted} accepted, ${r.reviewDraft.rejected} rejected; ${r.reviewDraft.draft.pending} pending`);
  } catch (e) {
    status((e as Error).message);
  }
}

$('accept-all').addEventListener('click', () => void review([], 'ACCEPT'));
$('reject-all').addEventListener('click', () => void review([], 'REJECT'));
void load();
