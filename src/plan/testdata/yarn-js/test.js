const assert = require("node:assert/strict");
const { test } = require("node:test");
const { greeting } = require("./index.js");

test("greets", () => assert.match(greeting(), /a minute is 1m/));
