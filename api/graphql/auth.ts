// Who is calling: `Authorization: Bearer <key>` names an API key (role + TLP clearance);
// no header means an anonymous reader cleared for TLP:CLEAR. A bad or revoked key is refused.
import { ANONYMOUS, type Caller, type Context, type Role } from './context.js';
import { Forbidden, Unauthenticated } from '../../core/errors.js';
import type { Executor } from '../store/executor.js';
import { findActiveKey } from '../store/keys.js';

const ROLE_RANK: Record<Role, number> = { READER: 0, ANALYST: 1, ADMIN: 2 };

/** One lookup per request, shared by the rate limiter (which runs first) and the context. */
const callers = new WeakMap<Request, Promise<Caller>>();

export function callerFromRequest(executor: Executor, request: Request): Promise<Caller> {
  let caller = callers.get(request);
  if (!caller) {
    caller = lookUpCaller(executor, request);
    caller.catch(() => undefined); // a refusal is reported by whoever awaits it
    callers.set(request, caller);
  }
  return caller;
}

/** The verified key's id, or null for no key or one that is not valid (never throws). */
export async function verifiedKeyId(executor: Executor, request: Request): Promise<string | null> {
  try {
    return (await callerFromRequest(executor, request)).keyId;
  } catch {
    return null;
  }
}

async function lookUpCaller(executor: Executor, request: Request): Promise<Caller> {
  const header = request.headers.get('authorization');
  if (!header) return ANONYMOUS;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  if (!match) throw unauthenticated('the Authorization header must be "Bearer <key>"');
  const key = await findActiveKey(executor, match[1]);
  if (!key) throw unauthenticated('unknown or revoked API key');
  return { keyId: key.id, name: key.name, role: key.role, clearance: key.clearance };
}

function unauthenticated(reason: string): Unauthenticated {
  return new Unauthenticated(`Not authenticated: ${reason}.`);
}

/** Throws unless the caller's role is at least `role`. */
export function requireRole(ctx: Context, role: Role): void {
  if (ROLE_RANK[ctx.caller.role] >= ROLE_RANK[role] && (ctx.caller.keyId !== null || role === 'READER')) return;
  if (ctx.caller.keyId === null) {
    throw new Unauthenticated(`This needs an API key with role ${role} (Authorization: Bearer <key>).`);
  }
  throw new Forbidden(`Your key's role ${ctx.caller.role} cannot do this; it needs ${role}.`);
}
