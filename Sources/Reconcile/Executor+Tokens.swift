import Logging
import NgrokModel

extension Executor {
    /// Hands a new credential's token to the token command (if any), then to the token files.
    /// When either fails, nobody holds the token: the credential just created is deleted and the
    /// operation fails (the previous generation, if any, stays valid and untouched).
    func deliverToken(_ op: PlanOperation, token: String, id: String) async throws {
        guard let tokens else { return }
        let name = op.address.name
        do {
            if let command = tokens.command {
                try await command.run(token: token, credential: name, generation: op.generation ?? 1, credentialID: id)
            }
            try tokens.write(token: token, credential: name, generation: op.generation)
        } catch {
            var cleanup = "the new credential (\(id)) was deleted"
            do {
                _ = try await api.send(method: .delete, path: "/credentials/\(id)", body: nil)
            } catch {
                cleanup = "deleting the new credential (\(id)) failed too (\(error)); the next plan replaces it"
            }
            logger.error("token not delivered", metadata: ["target": "\(op.target)", "id": "\(id)"])
            throw TokenDeliveryError(credential: name, cause: String(describing: error), cleanup: cleanup)
        }
    }

    /// Token files of what is about to be deleted: a revoked generation's file; for a credential
    /// removed from the manifests, its `NAME.token` too. Removed before the API call, so that a
    /// file never outlives its credential (a stale file would look like a delivered token).
    func removeTokenFiles(before op: PlanOperation) throws {
        guard let tokens, op.address.kind == .credential, op.subject == .object, !op.replacement else { return }
        let name = op.address.name
        switch op.action {
        case .revoke:
            try tokens.remove(TokenSink.fileName(credential: name, generation: op.generation ?? 1))
        case .delete:
            try tokens.remove(TokenSink.fileName(credential: name))
            if let generation = op.generation { try tokens.remove(TokenSink.fileName(credential: name, generation: generation)) }
        default:
            break
        }
    }
}

public struct TokenDeliveryError: Error, CustomStringConvertible {
    public var credential: String
    public var cause: String
    public var cleanup: String
    public var description: String {
        "the token of Credential/\(credential) could not be delivered: \(cause); \(cleanup)"
    }
}
