import AgentCredentials
public import Hummingbird
import Logging

/// Finds the session named by the `concierge_session` cookie (unknown, expired or revoked sessions count as signed
/// out) and sets ``GatewayRequestContext/session``. Routes that need an agent check it themselves.
public struct SessionMiddleware: RouterMiddleware {
    public typealias Context = GatewayRequestContext
    static let cookieName = "concierge_session"

    let credentials: AgentCredentialStore

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        var context = context
        if let token = request.cookies[Self.cookieName]?.value, SecretToken.isWellFormed(token) {
            context.sessionToken = token
            do {
                context.session = try await self.credentials.session(token: token)
            } catch {
                context.logger.error("Session lookup failed", metadata: ["error": "\(error)"])
                throw HTTPError(.serviceUnavailable, message: "The app cannot reach its database right now.")
            }
        }
        return try await next(request, context)
    }
}
