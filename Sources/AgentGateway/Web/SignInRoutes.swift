import AgentCredentials
import Foundation
import Hummingbird
import Logging

/// `GET /signin`, `POST /signin` (form: `agent_id`, `password`), `POST /signout`.
///
/// Wrong credentials and unknown agents get the same answer (401); too many wrong passwords lock the agent out
/// for a while (429) on every replica (the count is in the database). The password is never logged.
struct SignInRoutes: Sendable {
    let credentials: AgentCredentialStore
    let settings: GatewaySettings
    let metrics: GatewayMetrics

    private struct Form: Decodable {
        var agent_id: String?
        var password: String?
    }

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/signin") { _, context -> Response in
            if context.session != nil { return HTMLResponse.redirect("/") }
            return HTMLResponse.page(SignInPage.render(message: nil))
        }
        router.post("/signin") { request, context -> Response in
            try await self.signIn(request, context: context)
        }
        router.post("/signout") { _, context -> Response in
            if let token = context.sessionToken { try await self.credentials.signOut(token: token) }
            var response = HTMLResponse.redirect("/signin")
            response.setCookie(self.cookie(value: "", maxAge: 0))
            return response
        }
    }

    private func signIn(_ request: Request, context: GatewayRequestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: context.maxUploadSize)
        let form = (try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: body))) ?? Form()
        let agentID = (form.agent_id ?? "").trimmingCharacters(in: .whitespaces)
        let password = form.password ?? ""
        guard !agentID.isEmpty, !password.isEmpty else {
            self.metrics.signIn(.rejected)
            return HTMLResponse.page(
                SignInPage.render(message: "Enter your agent id and password."), status: .badRequest)
        }
        switch try await self.credentials.signIn(agentID: agentID, password: password) {
        case .signedIn(let token, let agent, _):
            self.metrics.signIn(.signedIn)
            context.logger.info("Agent signed in", metadata: ["agent.id": "\(agent)"])
            var response = HTMLResponse.redirect("/")
            response.setCookie(self.cookie(value: token, maxAge: self.settings.signIn.sessionTTLSeconds))
            return response
        case .rejected:
            self.metrics.signIn(.rejected)
            context.logger.notice("Sign-in refused", metadata: ["agent.id": "\(agentID.prefix(128))"])
            return HTMLResponse.page(
                SignInPage.render(message: "Wrong agent id or password.", agentID: String(agentID.prefix(128))),
                status: .unauthorized
            )
        case .lockedOut(let until):
            self.metrics.signIn(.lockedOut)
            context.logger.notice("Sign-in locked out", metadata: ["agent.id": "\(agentID.prefix(128))"])
            let seconds = max(1, Int(until.timeIntervalSinceNow.rounded(.up)))
            var response = HTMLResponse.page(
                SignInPage.render(
                    message: "Too many wrong passwords. Try again in \(seconds) seconds.",
                    agentID: String(agentID.prefix(128))
                ),
                status: .tooManyRequests
            )
            response.headers[.retryAfter] = "\(seconds)"
            return response
        }
    }

    func cookie(value: String, maxAge: Int) -> Cookie {
        Cookie(
            name: SessionMiddleware.cookieName, value: value, maxAge: maxAge, path: "/",
            secure: self.settings.secureCookie,
            httpOnly: true, sameSite: .strict
        )
    }
}
