import { request, type IncomingHttpHeaders } from "node:http";

export interface GenaResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Sends a SUBSCRIBE or UNSUBSCRIBE the way a control point does, over a fresh connection. */
export function gena(
  url: string,
  method: "SUBSCRIBE" | "UNSUBSCRIBE",
  headers: Record<string, string>,
): Promise<GenaResponse> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end();
  });
}
