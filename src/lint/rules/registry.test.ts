/** Every rule in the registry: complete metadata, and its documented bad/good examples behave. */
import { describe, expect, it } from "vitest";
import { CATEGORIES, SEVERITIES } from "../finding.js";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import { RULES } from "./index.js";

describe("rule registry", () => {
  it("has at least 40 rules with unique ids and slugs", () => {
    expect(RULES.length).toBeGreaterThanOrEqual(40);
    expect(new Set(RULES.map((r) => r.meta.id)).size).toBe(RULES.length);
    expect(new Set(RULES.map((r) => r.meta.slug)).size).toBe(RULES.length);
  });

  for (const r of RULES) {
    const m = r.meta;
    it(`${m.id} ${m.slug}: metadata is complete`, () => {
      expect(m.id).toMatch(/^SS\d{3}$/);
      expect(m.slug).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(SEVERITIES).toContain(m.severity);
      expect(CATEGORIES).toContain(m.category);
      for (const k of ["description", "rationale", "fix", "stagesNote"] as const)
        expect(m[k].length, k).toBeGreaterThan(10);
      if (m.hadolint) expect(m.hadolint).toMatch(/^DL\d{4}$/);
    });
  }
});

/** The documented examples, for rules whose example is a complete Dockerfile on its own. */
const EXAMPLES: Record<string, { bad: string; good: string; opts?: Parameters<typeof catches>[3] }> = {
  SS101: {
    bad: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
    good: "FROM debian:12\nRUN apt-get install -y --no-install-recommends curl",
  },
  SS103: {
    bad: "FROM debian:12\nRUN apt-get update && apt-get -y upgrade",
    good: "FROM debian:12\nRUN apt-get update",
  },
  SS104: { bad: "FROM alpine:3.22\nRUN apk add curl", good: "FROM alpine:3.22\nRUN apk add --no-cache curl" },
  SS106: { bad: "FROM node:22\nRUN npm ci", good: "FROM node:22\nRUN npm ci && npm cache clean --force" },
  SS108: {
    bad: "FROM python:3.12\nRUN pip install --no-cache-dir flask pytest",
    good: "FROM node:22\nRUN npm ci --omit=dev",
  },
  SS110: {
    bad: "FROM python:3.12\nCOPY . /app\nRUN rm -rf /app/tests",
    good: "FROM python:3.12\nCOPY . /app\nRUN rm -rf /tmp/x",
  },
  SS112: { bad: "FROM python:3.12", good: "FROM python:3.12-slim" },
  SS113: { bad: "FROM debian:12\nADD requirements.txt /app/", good: "FROM debian:12\nADD rootfs.tar.gz /" },
  SS114: {
    bad: "FROM debian:12\nADD https://example.com/x.tgz /tmp/",
    good: "FROM debian:12\nCOPY x.tgz /tmp/",
  },
  SS115: {
    bad: "FROM debian:12\nCOPY . /app\nRUN chown -R app:app /app",
    good: "FROM debian:12\nCOPY --chown=app:app . /app",
  },
  SS203: {
    bad: "FROM debian:12\nRUN apt-get update\nRUN apt-get install -y curl",
    good: "FROM debian:12\nRUN apt-get update && apt-get install -y curl",
  },
  SS301: { bad: "FROM debian:12\nUSER app\nUSER root", good: "FROM debian:12\nUSER root\nUSER app" },
  SS303: {
    bad: "FROM debian:12\nENV DB_PASSWORD=hunter2",
    good: "FROM debian:12\nENV DB_PASSWORD_FILE=/run/secrets/db",
  },
  SS304: { bad: "FROM debian:12\nCOPY .env /app/.env", good: "FROM debian:12\nCOPY .env.example /app/" },
  SS307: {
    bad: "FROM python:3.12-slim",
    good: "FROM python:3.12-slim@sha256:0000000000000000000000000000000000000000000000000000000000000000",
  },
  SS308: {
    bad: "FROM debian:12\nRUN curl -fsSL https://example.com/install.sh | sh",
    good: "FROM debian:12\nRUN curl -fsSLo install.sh https://example.com/install.sh && sh install.sh",
  },
  SS310: {
    bad: "FROM debian:12\nRUN chmod -R 777 /app",
    good: "FROM debian:12\nRUN chmod 1777 /scratch && chmod 755 /app",
  },
  SS311: { bad: "FROM debian:12\nEXPOSE 22", good: "FROM debian:12\nEXPOSE 8000" },
  SS402: {
    bad: "FROM node:22-slim",
    good: "FROM node:24-slim",
    opts: { now: new Date("2027-03-01T00:00:00Z") },
  },
  SS503: {
    bad: 'FROM node:22 AS old\nFROM node:22-slim\nCMD ["node", "app.js"]',
    good: "FROM node:22 AS build\nFROM node:22-slim\nCOPY --from=build /a /a",
  },
  SS508: { bad: "FROM debian:12\nENV PYTHONUNBUFFERED 1", good: "FROM debian:12\nENV PYTHONUNBUFFERED=1" },
  SS509: { bad: "FROM python:3.12-slim as builder", good: "FROM python:3.12-slim AS builder" },
};

describe("rule examples", () => {
  for (const r of RULES) {
    const ex = EXAMPLES[r.meta.id];
    if (!ex) continue;
    it(`${r.meta.id} ${r.meta.slug}`, () => {
      catches(r, ex.bad, undefined, ex.opts ?? {});
      catchesNot(r, ex.good, ex.opts ?? {});
    });
  }
});
