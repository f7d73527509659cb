import { formatCheckstyle } from "./checkstyle.js";
import { formatCodeClimate, formatGitlabCodeClimate } from "./codeclimate.js";
import { formatJson } from "./json.js";
import { formatMarkdown } from "./markdown.js";
import type { FormatName, LintReport } from "./report.js";
import { formatSarif } from "./sarif.js";
import { formatTty } from "./tty.js";

export type { FormatName, LintReport } from "./report.js";
export { FORMATS } from "./report.js";

export function formatReport(
  report: LintReport,
  format: FormatName,
  opts: { color: boolean } = { color: false },
): string {
  switch (format) {
    case "tty":
      return formatTty(report, opts);
    case "json":
      return formatJson(report);
    case "sarif":
      return formatSarif(report);
    case "markdown":
      return formatMarkdown(report);
    case "checkstyle":
      return formatCheckstyle(report);
    case "codeclimate":
      return formatCodeClimate(report);
    case "gitlab_codeclimate":
      return formatGitlabCodeClimate(report);
  }
}
