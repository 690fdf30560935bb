import { z } from "zod";

/** One registered contact of an extension: where to reach one of its phones. */
export interface ContactBinding {
  /** The extension number ("1001"). */
  extension: string;
  /** The Contact URI exactly as the phone sent it. */
  contact: string;
  /** When the binding lapses, ms since the epoch. */
  expiresAt: number;
  /** Call-ID and CSeq of the REGISTER that made or last refreshed it (RFC 3261 §10.3 step 7). */
  callId: string;
  cseq: number;
  /**
   * Where the REGISTER came from. Phones behind NAT, and phones on TCP, are reached here rather
   * than at their Contact (RFC 3581, RFC 5626 flows).
   */
  source: { protocol: "UDP" | "TCP"; address: string; port: number };
  userAgent?: string;
  /** When this registration session began (ms since the epoch). */
  registeredAt: number;
}

/** A binding as stored in the catalog under `binding/<ext>/<contact-hash>`. */
export const storedBindingSchema = z.object({
  extension: z.string().regex(/^[0-9]+$/),
  contact: z.string().min(1).max(512),
  expiresAt: z.number().int().nonnegative(),
  callId: z.string().min(1),
  cseq: z.number().int().nonnegative(),
  source: z.object({
    protocol: z.enum(["UDP", "TCP"]),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535),
  }),
  userAgent: z.string().optional(),
  registeredAt: z.number().int().nonnegative(),
});
