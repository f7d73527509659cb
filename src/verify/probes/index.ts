/**
 * The probe registry: one module per kind, picked by the probe's `kind`.
 * A new kind is its module (a ProbeKind), its test and a line here.
 */
import type { Probe, ProbeResult } from "../types.js";
import { cmdProbe } from "./cmd.js";
import { httpProbe } from "./http.js";
import type { ProbeKind, ProbeRunOptions, ProbeTarget } from "./kind.js";
import { tcpProbe } from "./tcp.js";

export type { ProbeKind, ProbeRunOptions, ProbeTarget } from "./kind.js";

/** Every kind of the Probe union has its module: a kind without one does not compile. */
const KINDS: { readonly [K in Probe["kind"]]: ProbeKind<Extract<Probe, { kind: K }>> } = {
  http: httpProbe,
  tcp: tcpProbe,
  cmd: cmdProbe,
};

/** Runs one probe; a failing check is a result with ok=false, never a throw (interrupts and engine trouble throw). */
export async function runProbe(p: Probe, target: ProbeTarget, opts: ProbeRunOptions): Promise<ProbeResult> {
  const t0 = Date.now();
  const kind: ProbeKind = KINDS[p.kind];
  const r = await kind.run(p, target, opts);
  return { ...r, durationMs: Date.now() - t0 };
}
