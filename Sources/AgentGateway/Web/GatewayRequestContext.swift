public import AgentCredentials
public import Hummingbird
public import HummingbirdWebSocket

/// The request context of every route: Hummingbird's core storage, the WebSocket handler reference, and the
/// signed-in agent once ``SessionMiddleware`` found a valid session cookie.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<Self>
    /// The session's agent; `nil` when not signed in.
    public var session: AgentSession?
    /// The raw session token from the cookie (for sign-out).
    public var sessionToken: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.session = nil
        self.sessionToken = nil
    }

    /// Sign-in forms are small.
    public var maxUploadSize: Int { 16 * 1024 }
}
