import { describe, it } from "vitest";
import { catches, catchesNot } from "../test-helpers/rule-cases.js";
import rule from "./ss112-full-base-image.js";

describe("SS112 full-base-image", () => {
  it("catches FROM python:3.12", () => {
    catches(rule, "FROM python:3.12", 1);
  });
  it("catches FROM node:22-bookworm", () => {
    catches(rule, "FROM node:22-bookworm", 1);
  });
  it("passes FROM node:22-slim", () => {
    catchesNot(rule, "FROM node:22-slim");
  });
  it("passes FROM python:3.12-alpine", () => {
    catchesNot(rule, "FROM python:3.12-alpine");
  });
  it("passes FROM golang:1.23", () => {
    catchesNot(rule, "FROM golang:1.23");
  });
  it("the full image in a builder is fine", () => {
    catchesNot(
      rule,
      "FROM python:3.12 AS b\nRUN pip wheel -w /w flask\nFROM python:3.12-slim\nCOPY --from=b /w /w",
    );
  });
});
