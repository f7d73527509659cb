const http = require("node:http");
const ms = require("ms");

const greeting = () => `Hello from Yarn, a minute is ${ms(60000)}`;
module.exports = { greeting };

if (require.main === module) {
  http.createServer((_req, res) => res.end(greeting())).listen(3000);
}
