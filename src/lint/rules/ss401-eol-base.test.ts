import { describe, expect, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss401-eol-base.js";

describe("SS401 eol-base (today: 2026-11-22)", () => {
  it("Python 3.10 and older", () => {
    catches(rule, "FROM python:3.10-slim", 1);
    catches(rule, "FROM python:3.9-slim-buster", 2);
    catchesNot(rule, "FROM python:3.11-slim");
  });
  it("Debian buster and older", () => {
    catches(rule, "FROM debian:buster-slim", 1);
    catches(rule, "FROM debian:10", 1);
    catchesNot(rule, "FROM debian:bookworm-slim");
  });
  it("Node 20 and older", () => {
    catches(rule, "FROM node:20-slim", 1);
    catches(rule, "FROM node:16", 1);
    catchesNot(rule, "FROM node:22-slim");
  });
  it("the interpreter a third-party image names in its tag", () => {
    catches(rule, "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.9", 1);
    catches(rule, "FROM nikolaik/python-nodejs:python3.10-nodejs18", 2);
    catchesNot(rule, "FROM tiangolo/uvicorn-gunicorn-fastapi:python3.11");
  });
  it("Alpine branches past their end", () => {
    catches(rule, "FROM alpine:3.19", 1);
    catches(rule, "FROM node:18-alpine3.17", 2);
    catchesNot(rule, "FROM alpine:3.22");
  });
  it("follows the injected clock", () => {
    catchesNot(rule, "FROM python:3.10-slim", { now: new Date("2026-10-01T00:00:00Z") });
    const [f] = catches(rule, "FROM python:3.10-slim", 1);
    expect(f!.message).toContain("2026-10-31");
  });
});
