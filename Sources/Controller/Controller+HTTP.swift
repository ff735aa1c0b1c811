import Foundation
import GitSource
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Synchronization

extension Controller {
    /// Serves `/healthz`, `/readyz`, `/status`, `/metrics` and `POST /webhook/github` until
    /// graceful shutdown.
    func runHTTPServer() async throws {
        let router = makeRouter()
        var serverLogger = logger
        // Hummingbird logs every request at info: keep that out of the controller's log.
        serverLogger.logLevel = max(logger.logLevel, .notice)
        let listening = listening
        let app = Application(
            router: router,
            configuration: ApplicationConfiguration(
                address: .hostname(configuration.listenHost, port: configuration.listenPort), serverName: "ngrokctl"),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? 0
                listening.set(port)
            },
            logger: serverLogger)
        try await app.run()
    }

    func makeRouter() -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.get("/healthz") { _, _ in Self.text(.ok, "ok\n") }
        router.get("/readyz") { [self] _, _ in
            status.isReady ? Self.text(.ok, "ready\n") : Self.text(.serviceUnavailable, "not ready: no successful sync yet\n")
        }
        router.get("/status") { [self] _, _ in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: status.jsonBytes())))
        }
        router.get("/metrics") { [self] _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: metrics.exposition())))
        }
        router.post("/webhook/github") { [self] request, _ in
            try await handleWebhook(request)
        }
        return router
    }

    private func handleWebhook(_ request: Request) async throws -> Response {
        guard let webhook else { return Self.text(.notFound, "webhook not configured (no webhookSecret)\n") }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > GitHubWebhook.maxBodyBytes {
            return Self.text(.contentTooLarge, "body larger than \(GitHubWebhook.maxBodyBytes) bytes\n")
        }
        var request = request
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: GitHubWebhook.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return Self.text(.contentTooLarge, "body larger than \(GitHubWebhook.maxBodyBytes) bytes\n")
        }
        let body = Array(buffer.readableBytesView)
        let headers = request.headers
        let event = HTTPField.Name("X-GitHub-Event").flatMap { headers[$0] }
        let delivery = HTTPField.Name("X-GitHub-Delivery").flatMap { headers[$0] }
        let signature = HTTPField.Name("X-Hub-Signature-256").flatMap { headers[$0] }
        let decision = core.withLock { core in
            webhook.decide(event: event, delivery: delivery, signature: signature, body: body, deliveries: &core.deliveries)
        }
        var logger = logger
        logger[metadataKey: "delivery"] = .string(delivery ?? "-")
        switch decision {
        case .trigger(let after):
            let outcome = core.withLock { $0.machine.webhookReceived(after: after, now: .now) }
            switch outcome {
            case .scheduled(let wake):
                logger.info("webhook: push to the watched ref, sync scheduled", metadata: ["after": .string(after ?? "-")])
                if wake { self.wake.signal() }
                return Self.text(.accepted, "sync scheduled\n")
            case .alreadySynced:
                logger.debug("webhook: the pushed commit already synced; ignored")
                return Self.text(.ok, "already synced\n")
            case .alreadyQueued:
                logger.debug("webhook: a sync is already queued; ignored")
                return Self.text(.ok, "sync already queued\n")
            }
        case .ignored(let why):
            logger.debug("webhook ignored", metadata: ["why": .string(why)])
            return Response(status: .noContent)
        case .duplicate:
            logger.debug("webhook: duplicate delivery ignored")
            return Response(status: .noContent)
        case .unauthorized(let why):
            logger.warning("webhook refused", metadata: ["why": .string(why)])
            return Self.text(.unauthorized, "invalid signature\n")
        case .badRequest(let why):
            return Self.text(.badRequest, why + "\n")
        }
    }

    static func text(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(
            status: status, headers: [.contentType: "text/plain; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }
}
