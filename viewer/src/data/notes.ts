// The API calls for notes (on entities, links and investigations) and for managing saved
// investigations (list with notes, rename, describe, delete).
import type { Investigation, Tlp } from '../types.js';
import { gql } from './client.js';

export interface Note {
  id: string;
  target: string;
  targetType: 'ENTITY' | 'LINK' | 'INVESTIGATION';
  text: string;
  tlp: Tlp;
  author: string;
  authorKeyId: string | null;
  createdAt: string;
}

const NOTE_FIELDS = 'id target targetType text tlp author authorKeyId createdAt';

export async function notesOn(target: string): Promise<Note[]> {
  const r = await gql<{ notes: Note[] }>(`query Notes($target: ID!) { notes(target: $target, first: 100) { ${NOTE_FIELDS} } }`, { target });
  return r.notes;
}

export async function addNote(target: string, text: string, tlp: Tlp | null): Promise<Note> {
  const r = await gql<{ addNote: Note }>(
    `mutation AddNote($target: ID!, $text: String!, $tlp: Tlp) { addNote(target: $target, text: $text, tlp: $tlp) { ${NOTE_FIELDS} } }`,
    { target, text, tlp });
  return r.addNote;
}

export async function deleteNote(id: string): Promise<boolean> {
  const r = await gql<{ deleteNote: boolean }>('mutation DeleteNote($id: ID!) { deleteNote(id: $id) }', { id });
  return r.deleteNote;
}

export type ListedInvestigation = Omit<Investigation, 'state'> & { notes: Array<Pick<Note, 'id'>> };

/** Saved investigations, last changed first, with how many notes the caller may see on each. */
export async function investigationList(): Promise<ListedInvestigation[]> {
  const r = await gql<{ investigations: ListedInvestigation[] }>(
    '{ investigations(first: 50) { id name description owner ownerKeyId updatedBy createdAt updatedAt notes { id } } }');
  return r.investigations;
}

export async function renameInvestigation(id: string, name: string, description: string | null): Promise<Omit<Investigation, 'state'>> {
  const r = await gql<{ renameInvestigation: Omit<Investigation, 'state'> }>(
    `mutation Rename($id: ID!, $name: String!, $description: String) {
       renameInvestigation(id: $id, name: $name, description: $description) { id name description owner ownerKeyId updatedBy createdAt updatedAt }
     }`, { id, name, description });
  return r.renameInvestigation;
}

export async function deleteInvestigation(id: string): Promise<boolean> {
  const r = await gql<{ deleteInvestigation: boolean }>('mutation DeleteInvestigation($id: ID!) { deleteInvestigation(id: $id) }', { id });
  return r.deleteInvestigation;
}
