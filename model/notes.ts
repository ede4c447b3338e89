// Notes: an investigator's annotations on an entity, a link or a saved investigation. Not a kind
// of the graph (a note is never an entity and never linked): a node of its own, found by its
// target's id. Declared here once for the API, its schema docs and the viewer.
import { TLPS, tlpRank, type Tlp } from './model.js';

/** What a note can annotate; the target's id is looked up in this order. */
export const NOTE_TARGET_TYPES = ['ENTITY', 'LINK', 'INVESTIGATION'] as const;
export type NoteTargetType = (typeof NOTE_TARGET_TYPES)[number];
/** What each target type is (the NoteTargetType enum's value descriptions). */
export const NOTE_TARGET_DOCS: Readonly<Record<NoteTargetType, string>> = {
  ENTITY: 'An entity; the note is marked at least as high as the entity.',
  LINK: 'A link; the note is marked at least as high as the link and both its ends.',
  INVESTIGATION: 'A saved investigation (open to anyone, so no floor beyond the note\'s own marking).',
};

/** A note's text: at most this many characters (after trimming), never empty. */
export const NOTE_MAX_LENGTH = 10_000;

/**
 * The marking a note gets: never less restricted than what it annotates (a link's marking is
 * the highest of its own and its two ends'). A lower or absent `asked` rises to `floor`.
 */
export function noteTlp(asked: Tlp | null | undefined, floor: Tlp): Tlp {
  return TLPS[Math.max(tlpRank(asked ?? floor), tlpRank(floor))];
}
