import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A plain TCP listener on 127.0.0.1 that records the request head of every connection it accepts
/// (e.g. to see whether an `Authorization` header was sent to it) and answers 401 with an ngrok
/// error body. For tests about where the API key may go.
public final class RecordingListener: @unchecked Sendable {
    public let port: Int
    private let socket: Int32
    private let lock = NSLock()
    private var heads: [String] = []
    private var stopped = false

    public init() throws {
        let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var one: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var actual = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &actual) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        socket = fd
        port = Int(UInt16(bigEndian: actual.sin_port))
        Thread.detachNewThread { [self] in acceptLoop() }
    }

    public var url: String { "http://127.0.0.1:\(port)" }

    /// The request heads received so far.
    public var requests: [String] { lock.withLock { heads } }

    /// The `Authorization` header values received so far.
    public var authorizations: [String] {
        requests.flatMap { head in
            head.split(separator: "\r\n").filter { $0.lowercased().hasPrefix("authorization:") }.map(String.init)
        }
    }

    public func stop() {
        lock.withLock { stopped = true }
        shutdown(socket, Int32(SHUT_RDWR))
        close(socket)
    }

    private func acceptLoop() {
        while true {
            let client = accept(socket, nil, nil)
            if client < 0 {
                if lock.withLock({ stopped }) { return }
                continue
            }
            var buffer = [UInt8](repeating: 0, count: 65536)
            var received: [UInt8] = []
            while !received.containsHeadEnd {
                let n = read(client, &buffer, buffer.count)
                if n <= 0 { break }
                received += buffer[0..<n]
            }
            let head = String(decoding: received, as: UTF8.self)
            lock.withLock { heads.append(head) }
            let body = #"{"error_code":"ERR_NGROK_201","status_code":401,"msg":"recording listener","details":{}}"#
            let response = "HTTP/1.1 401 Unauthorized\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\nConnection: close\r\n\r\n\(body)"
            _ = response.withCString { write(client, $0, strlen($0)) }
            close(client)
        }
    }
}

extension [UInt8] {
    fileprivate var containsHeadEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}
