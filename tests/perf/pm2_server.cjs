// The small server pm2 manages in the lifecycle benchmark: answers 402, like the mock.
const http = require("http");
http.createServer((req, res) => { res.statusCode = 402; res.end("{}"); })
  .listen(Number(process.argv[2]), "127.0.0.1");
