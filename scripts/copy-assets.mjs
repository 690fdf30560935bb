// Copies the files tsc does not emit (the dashboard's static assets, the UPnP device icons) next to
// the compiled code, so dist/ runs on the box without the source tree.
import { cpSync, existsSync } from "node:fs";

const assets = [
  ["services/dashboard/public", "dist/services/dashboard/public"],
  ["media/description/icons", "dist/media/description/icons"],
  ["media/assets", "dist/media/assets"],
  ["storage/backup/assets", "dist/storage/backup/assets"],
  ["pbx/assets", "dist/pbx/assets"],
  ["services/console/assets", "dist/services/console/assets"],
];
for (const [from, to] of assets) {
  if (existsSync(from)) cpSync(from, to, { recursive: true });
}
