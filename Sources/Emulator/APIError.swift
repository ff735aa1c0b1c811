/// An error the emulator answers with: the ngrok error envelope
/// `{"error_code", "status_code", "msg", "details": {"operation_id"}}`.
struct APIError: Error, Sendable, Equatable {
    var status: Int
    /// `ERR_NGROK_<code>`; nil for the bare 404 the real API sends for unknown IDs.
    var code: Int?
    var message: String
    /// Seconds for a `Retry-After` header (rate limiting).
    var retryAfter: Int?

    init(_ status: Int, _ code: Int?, _ message: String, retryAfter: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.retryAfter = retryAfter
    }

    static func badRequest(_ code: Int?, _ message: String) -> APIError { APIError(400, code, message) }

    /// The real API's body for an unknown ID: no `error_code`, msg "Resource not found".
    static let notFound = APIError(404, nil, "Resource not found")

    static func unknownField(_ name: String, supported: [String]) -> APIError {
        badRequest(
            214,
            "The request parameter '\(name)' is unknown and not expected. The supported fields are: "
                + supported.sorted().joined(separator: ", ") + ".")
    }

    static func invalidValue(_ name: String, _ reason: String) -> APIError {
        badRequest(215, "The request parameter '\(name)' has an invalid value: \(reason)")
    }

    static func missing(_ name: String) -> APIError {
        badRequest(215, "The request parameter '\(name)' is required.")
    }

    static func wrongPrefix(_ value: String, expected prefix: String) -> APIError {
        badRequest(227, "Expected an ID with a prefix of '\(prefix)', got '\(value)'.")
    }

    func body(operationID: String) -> JSON {
        var object = JSONObject()
        if let code { object["error_code"] = .string("ERR_NGROK_\(code)") }
        object["status_code"] = .int(Int64(status))
        object["msg"] = .string(message)
        object["details"] = ["operation_id": .string(operationID)]
        return .object(object)
    }
}
