/// The sign-in form. `message` is one of the gateway's own sentences (never echoed input).
enum SignInPage {
    static func render(message: String?, agentID: String = "") -> String {
        let alert =
            message.map { "<p class=\"alert\" role=\"alert\" id=\"signin-error\">\(HTMLText.escape($0))</p>" } ?? ""
        return PageLayout.page(
            title: "Sign in", agentID: nil, current: "signin",
            body: """
                <h2>Sign in</h2>
                \(alert)
                <form method="post" action="/signin" class="stack" aria-describedby="signin-help">
                  <label for="agent_id">Agent id</label>
                  <input id="agent_id" name="agent_id" autocomplete="username" autocapitalize="none" required maxlength="128" value="\(HTMLText.escape(agentID))">
                  <label for="password">Password</label>
                  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256">
                  <button type="submit" id="signin">Sign in</button>
                </form>
                <p id="signin-help" class="hint">Your agent id and password come from your operator (<code>conciergectl agents credentials</code>).</p>
                """
        )
    }
}
