import Foundation

/// A local HTTP server (Python's http.server with HTTP Range support) over a folder, on a free
/// port of 127.0.0.1. It exits by itself after `lifetime` seconds and is terminated on `stop()`.
/// It appends each request's path and Range header to `requests.log` in the folder; paths under
/// `/norange/` are served as by a server that ignores Range (always 200 and the whole file).
public final class LocalHTTPServer {
    let process = Process()
    public let port: Int

    static let script = #"""
import http.server, os, re, sys, threading
root, lifetime = sys.argv[1], float(sys.argv[2])
class Handler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args): pass
    def do_GET(self):
        rng = self.headers.get('Range') or ''
        with open(os.path.join(root, 'requests.log'), 'a') as log: log.write(f'{self.path} {rng}\n')
        name = self.path.lstrip('/')
        if name.startswith('norange/'): name, rng = name[len('norange/'):], ''  # a server without Range support
        path = os.path.join(root, name)
        if not os.path.isfile(path): self.send_error(404); return
        with open(path, 'rb') as f: data = f.read()
        m = re.match(r'bytes=(\d+)-$', rng)
        if m:
            start = int(m.group(1))
            if start >= len(data):
                self.send_response(416); self.send_header('Content-Range', f'bytes */{len(data)}')
                self.send_header('Content-Length', '0'); self.end_headers(); return
            body = data[start:]
            self.send_response(206); self.send_header('Content-Range', f'bytes {start}-{len(data) - 1}/{len(data)}')
        else:
            body = data
            self.send_response(200)
        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
print(server.server_address[1], flush=True)
threading.Timer(lifetime, lambda: os._exit(0)).start()
server.serve_forever()
"""#

    /// `lifetime` only bounds a server a crashed test leaves behind: under load (a parallel test run on
    /// a busy machine) a test can reach its first request minutes after the server started.
    public init(serving root: URL, lifetime: Int = 900) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, root.path, String(lifetime)]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = pipe.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            line.append(chunk)
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)) else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "the local test server did not start"])
        }
        self.port = port
    }

    public func url(_ name: String) -> URL { URL(string: "http://127.0.0.1:\(port)/\(name)")! }

    /// Kills the server. SIGKILL, because a child inherits the spawning thread's signal mask and
    /// the test runner's threads may block SIGTERM.
    public func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

