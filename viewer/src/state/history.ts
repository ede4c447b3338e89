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
  private listeners: Array<() => void> = [];

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
    this.changed();
    return cmd;
  }

  redo(): Command | undefined {
    const cmd = this.undone.pop();
    if (!cmd) return undefined;
    cmd.redo();
    this.done.push(cmd);
    this.changed();
    return cmd;
  }

  clear(): void {
    this.done = [];
    this.undone = [];
    this.changed();
  }

  get nextUndo(): string | undefined { return this.done.at(-1)?.label; }
  get nextRedo(): string | undefined { return this.undone.at(-1)?.label; }

  onChange(fn: () => void): void { this.listeners.push(fn); }

  private changed(): void { for (const fn of this.listeners) fn(); }
}
