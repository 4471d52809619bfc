/// The frame every page shares: a phone-first layout, the app's own stylesheet and script (no CDN), a skip link, and
/// a header with the agent and sign-out. `body` must already be escaped markup.
enum PageLayout {
    static func page(title: String, agentID: String?, current: String, body: String, script: Bool = false) -> String {
        var nav = ""
        if let agentID {
            nav = """
                <nav aria-label="Main">
                  <a href="/"\(current == "console" ? " aria-current=\"page\"" : "")>Console</a>
                  <a href="/earnings"\(current == "earnings" ? " aria-current=\"page\"" : "")>Earnings</a>
                  <form method="post" action="/signout" class="inline"><button type="submit">Sign out</button></form>
                </nav>
                <p class="who">Signed in as <strong>\(HTMLText.escape(agentID))</strong></p>
                """
        }
        return """
            <!doctype html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(HTMLText.escape(title)) · Concierge agent</title>
            <link rel="stylesheet" href="/assets/app.css">
            \(script ? "<script src=\"/assets/app.js\" defer></script>" : "")
            </head>
            <body>
            <a class="skip" href="#main">Skip to content</a>
            <header>
            <h1>Concierge agent</h1>
            \(nav)
            </header>
            <main id="main" tabindex="-1">
            \(body)
            </main>
            </body>
            </html>
            """
    }
}
