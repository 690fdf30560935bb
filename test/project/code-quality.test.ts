import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { ESLint } from "eslint";

const run = promisify(execFile);
const root = new URL("../../", import.meta.url).pathname;

async function tool(bin: string, args: string[]): Promise<void> {
  try {
    await run(`${root}node_modules/.bin/${bin}`, args, { cwd: root, maxBuffer: 16 << 20 });
  } catch (err) {
    const { stdout, stderr } = err as { stdout?: string; stderr?: string };
    assert.fail(`${bin} ${args.join(" ")} found problems:\n${stdout ?? ""}${stderr ?? ""}`);
  }
}

describe("code quality", function () {
  this.timeout(240_000);

  it("passes eslint, including the import boundaries", () => tool("eslint", ["."]));
  it("is formatted with prettier", () => tool("prettier", ["--check", "."]));
  it("type-checks under strict TypeScript", () => tool("tsc", ["--noEmit", "-p", "tsconfig.json"]));

  describe("import boundaries (STYLE: dependency direction)", () => {
    const eslint = new ESLint({ cwd: root });
    async function messagesFor(filePath: string, code: string): Promise<string[]> {
      const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
      return (result?.messages ?? [])
        .filter((m) => m.ruleId === "no-restricted-imports")
        .map((m) => m.message);
    }

    it("refuses a service importing another service", async () => {
      const messages = await messagesFor("media/probe.ts", 'import "../pbx/index.js";\n');
      assert.equal(messages.length, 1);
      assert.match(messages[0] ?? "", /Services never import each other: pbx\/ is another service/);
    });

    it("refuses a service importing the host's internals", async () => {
      const messages = await messagesFor(
        "pbx/probe.ts",
        'import "../services/host/host.js";\nimport "../services/dashboard/x.js";\n',
      );
      assert.equal(messages.length, 2);
    });

    it("refuses the host reaching into a service's internals", async () => {
      const messages = await messagesFor(
        "services/probe.ts",
        'import "../media/indexer/scan.js";\nimport "../media/index.js";\n',
      );
      assert.equal(messages.length, 1, "index.js is allowed, indexer/scan.js is not");
      assert.match(messages[0] ?? "", /'\.\.\/media\/indexer\/scan\.js' import is restricted/);
    });

    it("lets a service use the host's contract, config, log, http and the catalog", async () => {
      const code = [
        'import "../services/host/service.js";',
        'import "../services/config/index.js";',
        'import "../services/log/logger.js";',
        'import "../services/http/route-registrar.js";',
        'import "../storage/catalog/catalog-namespace.js";',
        "",
      ].join("\n");
      assert.deepEqual(await messagesFor("media/probe.ts", code), []);
    });
  });
});
