import CCurl
import CCurlShim
import Foundation
import NgrokModel
import Synchronization

/// The libcurl transport: one multi handle driven by one dedicated thread (`curl_multi_poll`, woken by
/// `curl_multi_wakeup`); callers suspend on continuations. Connections are kept alive and reused across
/// requests; TLS is verified against the system CA store; proxy environment variables (`HTTPS_PROXY`,
/// `NO_PROXY`, …) are honoured by libcurl.
public final class CurlTransport: HTTPTransport, Sendable {
    /// The process-wide transport (one multi handle, one thread).
    public static let shared = CurlTransport()

    private let loop: CurlLoop

    public init() {
        CurlGlobal.initialize()
        loop = CurlLoop()
    }

    /// Stops the loop thread; pending requests fail with `CancellationError`.
    public func shutdown() { loop.shutdown() }

    deinit { loop.shutdown() }

    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let transfer = try Transfer(request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                transfer.continuation = continuation
                loop.submit(transfer)
            }
        } onCancel: {
            transfer.cancelled.store(true, ordering: .relaxed)
            loop.wake()
        }
    }
}

/// `curl_global_init` exactly once per process.
enum CurlGlobal {
    private static let once: Bool = {
        curl_global_init(Int(CURL_GLOBAL_DEFAULT))
        return true
    }()

    static func initialize() { _ = once }
}

/// One request in flight: its easy handle and what it collects. Touched by the submitting task until
/// `submit`, then only by the loop thread (except `cancelled`).
final class Transfer: @unchecked Sendable {
    let easy: UnsafeMutableRawPointer
    private var headerList: UnsafeMutablePointer<curl_slist>?
    let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
    var body: [UInt8] = []
    var headers: [String: String] = [:]
    var continuation: CheckedContinuation<HTTPResponse, any Error>?
    let cancelled = Atomic<Bool>(false)

    init(_ request: HTTPRequest) throws {
        guard let easy = curl_easy_init() else {
            throw TransportError(code: Int(CURLE_FAILED_INIT.rawValue), message: "curl_easy_init failed",
                                 requestMayHaveBeenSent: false)
        }
        self.easy = easy
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        let me = Unmanaged.passUnretained(self).toOpaque()
        ngrokctl_curl_set_string(easy, CURLOPT_URL, request.url)
        ngrokctl_curl_set_long(easy, CURLOPT_NOSIGNAL, 1)
        ngrokctl_curl_set_long(easy, CURLOPT_CONNECTTIMEOUT_MS, Int(request.connectTimeout * 1000))
        ngrokctl_curl_set_long(easy, CURLOPT_TIMEOUT_MS, Int(request.timeout * 1000))
        ngrokctl_curl_set_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        ngrokctl_curl_set_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        ngrokctl_curl_set_long(easy, CURLOPT_SSL_VERIFYPEER, 1)
        ngrokctl_curl_set_long(easy, CURLOPT_SSL_VERIFYHOST, 2)
        ngrokctl_curl_set_pointer(easy, CURLOPT_ERRORBUFFER, UnsafeMutableRawPointer(errorBuffer))
        ngrokctl_curl_set_write_callback(easy, curlWriteCallback)
        ngrokctl_curl_set_pointer(easy, CURLOPT_WRITEDATA, me)
        ngrokctl_curl_set_header_callback(easy, curlHeaderCallback)
        ngrokctl_curl_set_pointer(easy, CURLOPT_HEADERDATA, me)
        switch request.method {
        case .get: ngrokctl_curl_set_long(easy, CURLOPT_HTTPGET, 1)
        case .post:
            ngrokctl_curl_set_long(easy, CURLOPT_POST, 1)
            // A POST is not idempotent: on a reused connection that the server closes without an
            // answer, libcurl silently sends the request again on a new one, so a create whose
            // response was lost happened twice. A fresh connection is never retried by libcurl: the
            // caller sees the unknown outcome and settles it.
            ngrokctl_curl_set_long(easy, CURLOPT_FRESH_CONNECT, 1)
        default: ngrokctl_curl_set_string(easy, CURLOPT_CUSTOMREQUEST, request.method.rawValue)
        }
        if let payload = request.body {
            ngrokctl_curl_set_long(easy, CURLOPT_POSTFIELDSIZE, payload.count)
            payload.withUnsafeBytes { raw in
                // COPYPOSTFIELDS copies POSTFIELDSIZE bytes now; the buffer need not outlive this call.
                let base = raw.baseAddress ?? UnsafeRawPointer(errorBuffer)
                ngrokctl_curl_set_pointer(easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: base))
            }
        } else if request.method == .post {
            ngrokctl_curl_set_long(easy, CURLOPT_POSTFIELDSIZE, 0)
            ngrokctl_curl_set_string(easy, CURLOPT_COPYPOSTFIELDS, "")
        }
        var list: UnsafeMutablePointer<curl_slist>? = nil
        for (name, value) in request.headers {
            list = curl_slist_append(list, "\(name): \(value)")
        }
        list = curl_slist_append(list, "Expect:")  // no 100-continue round trip
        headerList = list
        ngrokctl_curl_set_slist(easy, CURLOPT_HTTPHEADER, list)
    }

    deinit {
        curl_easy_cleanup(easy)
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    func appendHeaderLine(_ line: String) {
        if line.hasPrefix("HTTP/") {
            headers = [:]  // a new response (after 1xx): start over
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespacesAndNewlines)
        headers[name] = value
    }

    /// The outcome, once the transfer is done.
    func result(_ code: CURLcode) -> Result<HTTPResponse, any Error> {
        if code == CURLE_OK {
            var status = 0
            var connects = 0
            ngrokctl_curl_get_long(easy, CURLINFO_RESPONSE_CODE, &status)
            ngrokctl_curl_get_long(easy, CURLINFO_NUM_CONNECTS, &connects)
            return .success(HTTPResponse(status: status, headers: headers, body: body, newConnections: connects))
        }
        var requestSize = 0
        ngrokctl_curl_get_long(easy, CURLINFO_REQUEST_SIZE, &requestSize)
        var detail = String(cString: errorBuffer)
        if detail.isEmpty { detail = String(cString: curl_easy_strerror(code)) }
        let notSent: Set<CURLcode> = [CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT]
        let maySent = requestSize > 0 || !(notSent.contains(code) || (code == CURLE_OPERATION_TIMEDOUT && requestSize == 0))
        return .failure(TransportError(code: Int(code.rawValue), message: detail, requestMayHaveBeenSent: maySent))
    }
}

private let curlWriteCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    = { data, size, count, context in
        let total = size * count
        guard let data, let context else { return total }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        transfer.body.append(contentsOf: UnsafeRawBufferPointer(start: data, count: total))
        return total
    }

private let curlHeaderCallback: @convention(c) (UnsafeMutablePointer<CChar>?, Int, Int, UnsafeMutableRawPointer?) -> Int
    = { data, size, count, context in
        let total = size * count
        guard let data, let context else { return total }
        let transfer = Unmanaged<Transfer>.fromOpaque(context).takeUnretainedValue()
        let line = String(decoding: UnsafeRawBufferPointer(start: data, count: total), as: UTF8.self)
        transfer.appendHeaderLine(line)
        return total
    }

/// The multi handle and the thread that drives it.
final class CurlLoop: @unchecked Sendable {
    private struct Inbox {
        var incoming: [Transfer] = []
        var stopping = false
        var stopped = false
    }

    private let multi: UnsafeMutableRawPointer
    private let inbox = Mutex(Inbox())
    /// Loop thread only.
    private var active: [UnsafeMutableRawPointer: Transfer] = [:]

    init() {
        multi = curl_multi_init()
        ngrokctl_curl_multi_set_long(multi, CURLMOPT_MAXCONNECTS, 32)
        let thread = Thread { [self] in run() }
        thread.name = "ngrokctl-curl"
        thread.start()
    }

    func submit(_ transfer: Transfer) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.incoming.append(transfer)
            return true
        }
        if accepted {
            wake()
        } else {
            transfer.continuation?.resume(throwing: CancellationError())
            transfer.continuation = nil
        }
    }

    func wake() {
        inbox.withLock { inbox in
            if !inbox.stopped { curl_multi_wakeup(multi) }
        }
    }

    func shutdown() {
        let wasRunning = inbox.withLock { inbox -> Bool in
            defer { inbox.stopping = true }
            return !inbox.stopping
        }
        if wasRunning { wake() }
    }

    private func finish(_ transfer: Transfer, _ result: Result<HTTPResponse, any Error>) {
        curl_multi_remove_handle(multi, transfer.easy)
        transfer.continuation?.resume(with: result)
        transfer.continuation = nil
    }

    private func run() {
        while true {
            let (incoming, stopping) = inbox.withLock { inbox in
                defer { inbox.incoming = [] }
                return (inbox.incoming, inbox.stopping)
            }
            for transfer in incoming {
                if transfer.cancelled.load(ordering: .relaxed) || stopping {
                    transfer.continuation?.resume(throwing: CancellationError())
                    transfer.continuation = nil
                    continue
                }
                curl_multi_add_handle(multi, transfer.easy)
                active[transfer.easy] = transfer
            }
            if stopping {
                for transfer in active.values { finish(transfer, .failure(CancellationError())) }
                active = [:]
                inbox.withLock { inbox in
                    inbox.stopped = true
                    curl_multi_cleanup(multi)
                }
                return
            }
            for (easy, transfer) in active where transfer.cancelled.load(ordering: .relaxed) {
                active[easy] = nil
                finish(transfer, .failure(CancellationError()))
            }
            var running: Int32 = 0
            curl_multi_perform(multi, &running)
            var left: Int32 = 0
            while let message = curl_multi_info_read(multi, &left) {
                guard ngrokctl_curl_msg_is_done(message) != 0, let easy = message.pointee.easy_handle,
                    let transfer = active.removeValue(forKey: easy)
                else { continue }
                finish(transfer, transfer.result(ngrokctl_curl_msg_result(message)))
            }
            curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }
}
