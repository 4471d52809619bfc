extension Assets {
    /// Phone first (one column, 44 px touch targets), high contrast (text 4.5:1 or more on its background), visible
    /// focus, no external fonts.
    static let css = #"""
        :root { --ink: #111; --muted: #4a4a4a; --bg: #fff; --card: #f4f4f6; --accent: #0b57d0; --accent-ink: #fff;
                --danger: #a50e0e; --ok: #146c2e; --warn: #7a4d00; }
        * { box-sizing: border-box; }
        body { margin: 0; font: 16px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: var(--bg); }
        header { padding: 0.75rem 1rem; border-bottom: 1px solid #ccc; }
        header h1 { font-size: 1.15rem; margin: 0 0 0.25rem; }
        nav { display: flex; gap: 0.75rem; align-items: center; flex-wrap: wrap; }
        nav a { color: var(--accent); font-weight: 600; padding: 0.5rem 0; }
        nav a[aria-current="page"] { color: var(--ink); text-decoration: none; border-bottom: 3px solid var(--accent); }
        main { padding: 1rem; max-width: 48rem; margin: 0 auto; }
        h2 { font-size: 1.2rem; margin: 1.25rem 0 0.5rem; }
        h3 { font-size: 1.05rem; margin: 1rem 0 0.5rem; }
        .who { margin: 0.25rem 0 0; color: var(--muted); font-size: 0.9rem; }
        .hint { color: var(--muted); font-size: 0.9rem; }
        .card, .cards > li, .conversation { background: var(--card); border-radius: 10px; padding: 0.85rem; margin: 0 0 0.85rem; }
        .cards { list-style: none; padding: 0; margin: 0; }
        .row { display: flex; gap: 0.5rem; flex-wrap: wrap; align-items: center; }
        .stack { display: flex; flex-direction: column; gap: 0.4rem; max-width: 24rem; }
        .inline { display: inline; }
        label { font-weight: 600; }
        input, select, textarea { font: inherit; padding: 0.6rem; border: 1px solid #767676; border-radius: 8px; min-height: 44px; width: 100%; background: #fff; color: var(--ink); }
        textarea { min-height: 5rem; resize: vertical; }
        button { font: inherit; font-weight: 600; min-height: 44px; min-width: 44px; padding: 0.5rem 1rem; border-radius: 8px;
                 border: 2px solid var(--accent); background: var(--accent); color: var(--accent-ink); cursor: pointer; }
        button.secondary { background: #fff; color: var(--accent); }
        button.danger { background: #fff; color: var(--danger); border-color: var(--danger); }
        button:disabled { opacity: 0.55; cursor: not-allowed; }
        :focus-visible { outline: 3px solid #e8710a; outline-offset: 2px; }
        .alert { color: var(--danger); font-weight: 600; }
        #connection[data-state="connected"] { color: var(--ok); }
        #connection[data-state="reconnecting"], #connection[data-state="connecting"] { color: var(--warn); }
        #connection[data-state="offline"] { color: var(--danger); }
        #presence[data-state="online"] { color: var(--ok); font-weight: 600; }
        #presence[data-state="offline"] { color: var(--danger); font-weight: 600; }
        .countdown { font-variant-numeric: tabular-nums; font-weight: 700; }
        .pay { font-size: 1.1rem; font-weight: 700; }
        .preview { white-space: pre-wrap; overflow-wrap: anywhere; }
        .transcript { list-style: none; padding: 0; margin: 0.5rem 0; max-height: 22rem; overflow-y: auto; }
        .transcript li { padding: 0.45rem 0.6rem; margin: 0.3rem 0; border-radius: 8px; background: #fff; white-space: pre-wrap; overflow-wrap: anywhere; }
        .transcript li[data-author="agent"] { background: #e3ecfd; margin-left: 1.5rem; }
        .transcript li[data-author="system"], .transcript li[data-author="ai"] { color: var(--muted); font-size: 0.9rem; }
        .author { display: block; font-size: 0.8rem; font-weight: 700; color: var(--muted); }
        .facts { padding-left: 1.1rem; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; width: 100%; font-size: 0.92rem; }
        th, td { text-align: left; padding: 0.4rem; border-bottom: 1px solid #ccc; vertical-align: top; }
        .amount { font-size: 1.1rem; }
        .skip { position: absolute; left: -999px; }
        .skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.5rem; z-index: 10; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
        details summary { cursor: pointer; min-height: 44px; display: flex; align-items: center; font-weight: 600; }
        """#
}
