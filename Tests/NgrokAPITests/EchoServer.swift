import Foundation

/// A tiny HTTP/1.1 keep-alive server (Python's http.server) for transport tests. Query parameters:
/// `status=N`, `delay_ms=N`, `drop=1` (close without answering), `size=N` (body of N bytes).
final class EchoServer: Sendable {
    let baseURL: String
    private let process: Process

    static let script = #"""
        import json, socketserver, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
        from urllib.parse import urlparse, parse_qs

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            def log_message(self, *args): pass
            def handle_any(self):
                url = urlparse(self.path)
                q = {k: v[0] for k, v in parse_qs(url.query).items()}
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                if "delay_ms" in q: time.sleep(int(q["delay_ms"]) / 1000)
                if q.get("drop") == "1":
                    self.close_connection = True
                    self.connection.shutdown(2)
                    return
                status = int(q.get("status", "200"))
                if "size" in q:
                    out = b"x" * int(q["size"])
                else:
                    out = json.dumps({"method": self.command, "path": self.path,
                                      "headers": {k.lower(): v for k, v in self.headers.items()},
                                      "body": body}).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(out)))
                self.send_header("Ngrok-Operation-Id", "op_echo")
                self.end_headers()
                self.wfile.write(out)
            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

        class Server(ThreadingHTTPServer):
            def server_bind(self):  # no getfqdn(): reverse DNS may hang without a resolver
                socketserver.TCPServer.server_bind(self)
                self.server_name, self.server_port = "127.0.0.1", self.server_address[1]

        server = Server(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        print(server.server_address[1], flush=True)
        server.serve_forever()
        """#

    init() throws {
        let process = Process()
        let system = "/usr/bin/python3"
        process.executableURL = URL(fileURLWithPath: FileManager.default.isExecutableFile(atPath: system) ? system : "/usr/bin/env")
        process.arguments = (process.executableURL?.path == system ? [] : ["python3"]) + ["-u", "-c", EchoServer.script]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        var line = Data()
        while !line.contains(0x0a) {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        let port = String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        self.process = process
        self.baseURL = "http://127.0.0.1:\(port)"
    }

    /// Kills the server (no `waitUntilExit`: it can hang on Linux when called from the cooperative pool).
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        usleep(50_000)
    }

    deinit { if process.isRunning { process.terminate() } }
}
