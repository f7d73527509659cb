/**
 * Model -> text. Nodes that carry `raw` (everything the parser produced) are
 * printed byte for byte; nodes without it (new or rewritten) are rendered
 * from their typed fields in a canonical form.
 */
import type { CommandForm, Dockerfile, Instruction, Node } from "./model.js";

export function printDockerfile(df: Dockerfile): string {
  let out = "";
  for (const node of df.nodes) {
    if (out !== "" && !out.endsWith("\n")) out += "\n";
    out += node.raw ?? `${renderNode(node)}\n`;
  }
  return out;
}

function renderNode(node: Node): string {
  switch (node.kind) {
    case "blank":
      return "";
    case "comment":
      return `#${node.text}`;
    case "directive":
      return `# ${node.name}=${node.value}`;
    default:
      return printInstruction(node);
  }
}

function jsonArray(list: readonly string[]): string {
  return `[${list.map((s) => JSON.stringify(s)).join(", ")}]`;
}

function commandText(c: CommandForm): string {
  return c.form === "json" ? jsonArray(c.args) : c.command;
}

function flag(name: string, value: string | undefined | boolean): string[] {
  if (value === undefined || value === false) return [];
  return value === true ? [`--${name}`] : [`--${name}=${value}`];
}

function heredocBodies(ins: Instruction): string {
  return ins.heredocs.map((h) => `\n${h.content}${h.name}`).join("");
}

/** One instruction as text (no final newline). Uses `raw` when present, minus its line terminator. */
export function printInstruction(ins: Instruction): string {
  if (ins.raw !== undefined) return ins.raw.replace(/\r?\n$/, "");
  return renderInstruction(ins);
}

function renderInstruction(ins: Instruction): string {
  const kw = ins.keyword;
  const parts: string[] = [kw];
  switch (ins.keyword) {
    case "FROM":
      parts.push(...flag("platform", ins.platform), ins.image);
      if (ins.stageName) parts.push("AS", ins.stageName);
      break;
    case "RUN":
      parts.push(...ins.mounts.map((m) => m.flag.raw));
      parts.push(...flag("network", ins.network), ...flag("security", ins.security));
      parts.push(...ins.flags.filter((f) => f.name === "device").map((f) => f.raw));
      parts.push(commandText(ins.command));
      return parts.join(" ") + heredocBodies(ins);
    case "COPY":
    case "ADD": {
      if (ins.keyword === "COPY") parts.push(...flag("from", ins.from));
      parts.push(...flag("chown", ins.chown), ...flag("chmod", ins.chmod), ...flag("link", ins.link));
      if (ins.keyword === "ADD")
        parts.push(...flag("keep-git-dir", ins.keepGitDir), ...flag("checksum", ins.checksum));
      if (ins.keyword === "ADD" && ins.unpack !== undefined) parts.push(`--unpack=${ins.unpack}`);
      parts.push(...flag("parents", ins.parents), ...ins.exclude.map((e) => `--exclude=${e}`));
      parts.push(
        ins.form === "json" ? jsonArray([...ins.sources, ins.dest]) : [...ins.sources, ins.dest].join(" "),
      );
      return parts.join(" ") + heredocBodies(ins);
    }
    case "ENV":
    case "LABEL":
      parts.push(
        ins.pairs.map((p) => (p.sep === "=" ? `${p.key}=${p.value}` : `${p.key} ${p.value}`)).join(" "),
      );
      break;
    case "ARG":
      parts.push(
        ins.decls
          .map((d) => (d.defaultValue === undefined ? d.name : `${d.name}=${d.defaultValue}`))
          .join(" "),
      );
      break;
    case "USER":
      parts.push(ins.group === undefined ? ins.user : `${ins.user}:${ins.group}`);
      break;
    case "WORKDIR":
      parts.push(ins.path);
      break;
    case "EXPOSE":
      parts.push(ins.ports.map((p) => p.raw).join(" "));
      break;
    case "CMD":
    case "ENTRYPOINT":
      parts.push(commandText(ins.command));
      break;
    case "SHELL":
      parts.push(jsonArray(ins.shellArgs));
      break;
    case "HEALTHCHECK":
      if (ins.none) {
        parts.push("NONE");
        break;
      }
      parts.push(...flag("interval", ins.interval), ...flag("timeout", ins.timeout));
      parts.push(...flag("start-period", ins.startPeriod), ...flag("start-interval", ins.startInterval));
      if (ins.retries !== undefined) parts.push(`--retries=${ins.retries}`);
      parts.push("CMD", ins.command ? commandText(ins.command) : "");
      break;
    case "STOPSIGNAL":
      parts.push(ins.signal);
      break;
    case "VOLUME":
      parts.push(ins.form === "json" ? jsonArray(ins.paths) : ins.paths.join(" "));
      break;
    case "MAINTAINER":
      parts.push(ins.maintainer);
      break;
    case "ONBUILD":
      parts.push(renderInstruction({ ...ins.trigger, raw: undefined } as Instruction));
      break;
  }
  return parts.join(" ");
}
