import NgrokModel

/// The request an error is about: method and path (never headers, never the key).
public struct RequestSummary: Sendable, Hashable, CustomStringConvertible {
    public var method: HTTPMethod
    /// The path with its query, e.g. `/ip_policies/ipp_…`.
    public var path: String
    /// Attempts made (1 = no retry).
    public var attempts: Int

    public init(method: HTTPMethod, path: String, attempts: Int = 1) {
        self.method = method
        self.path = path
        self.attempts = attempts
    }

    public var description: String { "\(method) \(path)" }
}

/// The API answered with an error status.
public struct APIFailure: Sendable, Hashable, CustomStringConvertible {
    public var request: RequestSummary
    public var status: Int
    /// `ERR_NGROK_<n>`; nil when the body had none.
    public var errorCode: String?
    public var message: String
    /// From `details.operation_id`, else the `Ngrok-Operation-Id` header.
    public var operationID: String?
    public var details: [String: String]

    public init(
        request: RequestSummary, status: Int, errorCode: String? = nil, message: String, operationID: String? = nil,
        details: [String: String] = [:]
    ) {
        self.request = request
        self.status = status
        self.errorCode = errorCode
        self.message = message
        self.operationID = operationID
        self.details = details
    }

    public var description: String {
        var text = "\(request): HTTP \(status)"
        if let errorCode { text += " \(errorCode)" }
        if !message.isEmpty { text += ": \(message)" }
        if let operationID { text += " (operation \(operationID))" }
        return text
    }
}

/// Every failure of `NgrokClient`.
public enum APIError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The API answered with status ≥ 400 (after any retries).
    case api(APIFailure)
    /// A create (POST) may or may not have happened: the connection failed after the request may have been
    /// sent, or the server answered 5xx. Never retried blindly: list and look for the ownership marker.
    case outcomeUnknown(RequestSummary, reason: String)
    /// No response after every retry.
    case transport(RequestSummary, TransportError)
    /// A response the client could not read.
    case invalidResponse(RequestSummary, status: Int, reason: String)
    /// A bad base URL or similar.
    case configuration(String)

    public var description: String {
        switch self {
        case .api(let failure): failure.description
        case .outcomeUnknown(let request, let reason):
            "\(request): outcome unknown (\(reason)); list to check whether it happened"
        case .transport(let request, let error):
            "\(request): \(error) after \(request.attempts) attempt\(request.attempts == 1 ? "" : "s")"
        case .invalidResponse(let request, let status, let reason): "\(request): invalid response (HTTP \(status)): \(reason)"
        case .configuration(let reason): "configuration: \(reason)"
        }
    }

    /// The HTTP status, when the API answered.
    public var status: Int? {
        switch self {
        case .api(let failure): failure.status
        case .invalidResponse(_, let status, _): status
        default: nil
        }
    }

    /// The `ERR_NGROK_<n>` code, when the API sent one.
    public var errorCode: String? {
        if case .api(let failure) = self { return failure.errorCode }
        return nil
    }

    public var isNotFound: Bool { status == 404 }
    public var isRateLimited: Bool { status == 429 }
    public var isOutcomeUnknown: Bool {
        if case .outcomeUnknown = self { return true }
        return false
    }
}
