import AgentCredentials
import Hummingbird
import Logging

/// `GET /` (the console) and `GET /earnings`; both need a session (else a redirect to `/signin`).
struct PageRoutes: Sendable {
    let reads: AgentReads
    let earnings: EarningsReads

    func add(to router: Router<GatewayRequestContext>) {
        router.get("/") { _, context -> Response in
            guard let session = context.session else { return HTMLResponse.redirect("/signin") }
            let profile = try await self.reads.profile(session.agentID)
            return HTMLResponse.page(ConsolePage.render(agentID: session.agentID, profile: profile))
        }
        router.get("/earnings") { _, context -> Response in
            guard let session = context.session else { return HTMLResponse.redirect("/signin") }
            let profile = try await self.reads.profile(session.agentID)
            let summary = try await self.earnings.summary(session.agentID)
            return HTMLResponse.page(EarningsPage.render(agentID: session.agentID, profile: profile, summary: summary))
        }
        router.get("/assets/app.css") { _, _ in HTMLResponse.asset(Assets.css, type: "text/css; charset=utf-8") }
        router.get("/assets/app.js") { _, _ in
            HTMLResponse.asset(Assets.javascript, type: "text/javascript; charset=utf-8")
        }
    }
}
