// A minify fixture: only `/` is probed; every other route loads something that request never does.
const path = require("node:path");
const express = require("express");

const app = express();
// body-parser reads JSON through iconv-lite, which loads its charset tables on the first body it decodes.
app.use(express.json());
app.use(express.static(path.join(__dirname, "public")));
// A Next.js standalone server serves the build's chunks from .next/static under /_next/static.
app.use("/_next/static", express.static(path.join(__dirname, ".next", "static")));

app.get("/", (_req, res) => res.send("hello from node"));
app.post("/echo", (req, res) => res.json({ got: req.body }));
// A text body in another charset: iconv-lite decodes it with a table it loads only then.
app.post("/note", express.text(), (req, res) => res.send(req.body.toUpperCase()));
app.get("/plugin/:name", (req, res) => {
  if (!/^[a-z]+$/.test(req.params.name)) return res.status(400).send("bad plugin name");
  // A plugin loaded by name: the trace sees only the names a run used.
  const plugin = require(`./plugins/${req.params.name}`);
  res.send(plugin.render());
});

app.listen(3000, "0.0.0.0", () => console.log("listening on 3000"));
