// Undo/redo as a stack of commands, each knowing how to reverse itself (expand, hide, remove,
// collapse, layout). Hand-written: the graph changes are few and each needs its own inverse.
export interface Command {
  label: string;
  undo(): void;
  redo(): void;
}

const MAX = 200;

export class History {
  private done: Command[] = [];
  private undone: Command[] = [];
  private listeners: Array<(done?: { kind: 'undo' | 'redo'; label: string }) => void> = [];

  /** Records a command that has already been carried out. */
  push(cmd: Command): void {
    this.done.push(cmd);
    if (this.done.length > MAX) this.done.shift();
    this.undone = [];
    this.changed();
  }

  undo(): Command | undefined {
    const cmd = this.done.pop();
    if (!cmd) return undefined;
    cmd.undo();
    this.undone.push(cmd);
    this.changed({ kind: 'undo', label: cmd.label });
    return cmd;
  }

  redo(): Command | undefined {
    const cmd = this.undone.pop();
    if (!cmd) return undefined;
    cmd.redo();
    this.done.push(cmd);
    this.changed({ kind: 'redo', label: cmd.label });
    return cmd;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.changed();
  }

  get nextUndo(): string | undefined { return this.done.at(-1)?.label; }
  get nextRedo(): string | undefined { return this.undone.at(-1)?.label; }

  /** `done` says which command undo or redo just carried out (absent for push and clear). */
  onChange(fn: (done?: { kind: 'undo' | 'redo'; label: string }) => void): void { this.listeners.push(fn); }

  private changed(done?: { kind: 'undo' | 'redo'; label: string }): void { for (const fn of this.listeners) fn(done); }
}
