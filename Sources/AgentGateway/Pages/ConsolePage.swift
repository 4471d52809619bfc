/// The console: presence, surge, offers and conversations. The server renders the frame and the agent's profile;
/// the live parts (offers, conversations, connection state) are filled by `app.js` from the WebSocket, always as
/// text (`textContent`), never as markup.
enum ConsolePage {
    static func render(agentID: String, profile: AgentReads.Profile?) -> String {
        let market = profile.map { HTMLText.escape($0.market) } ?? "?"
        let surge = profile?.surgeBasisPoints.map { SurgeText.multiplier($0) } ?? "1.00×"
        let capacity = profile?.capacity ?? 1
        let name = profile?.displayName.map { HTMLText.escape($0) } ?? HTMLText.escape(agentID)
        return PageLayout.page(
            title: "Console", agentID: agentID, current: "console",
            body: """
                <div id="app" data-agent="\(HTMLText.escape(agentID))" data-capacity="\(capacity)">
                <section aria-labelledby="status-heading" class="card">
                  <h2 id="status-heading" class="visually-hidden">Status</h2>
                  <p>Hello, \(name).</p>
                  <p id="connection" role="status" aria-live="polite" data-state="connecting">Connecting…</p>
                  <p id="presence" aria-live="polite" data-state="\(profile?.online == true ? "online" : "offline")">You are \(profile?.online == true ? "online" : "offline").</p>
                  <div class="row">
                    <button type="button" id="go-online">Go online</button>
                    <button type="button" id="go-offline" class="secondary">Go offline</button>
                  </div>
                  <p>Surge in <span id="market">\(market)</span> now: <strong id="surge">\(surge)</strong></p>
                  <p>Conversations: <span id="load">0</span> of <span id="capacity">\(capacity)</span></p>
                </section>
                <section aria-labelledby="offers-heading">
                  <h2 id="offers-heading">Offers</h2>
                  <p id="no-offers" class="hint">No offer right now. Stay online to receive one.</p>
                  <ul id="offers" class="cards"></ul>
                </section>
                <section aria-labelledby="conversations-heading">
                  <h2 id="conversations-heading">Conversations</h2>
                  <p id="no-conversations" class="hint">No conversation yet.</p>
                  <div id="conversations"></div>
                </section>
                <div id="announcer" class="visually-hidden" aria-live="assertive"></div>
                </div>
                """,
            script: true
        )
    }
}
