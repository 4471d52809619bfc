/// How the demo's customers write, per language and kind of inquiry. Placeholders: `{mention}` (the purchase the
/// question is about: "the Zalando order" or "order ZL-448812"), `{shop}`, `{ref}`, `{amount}` (formatted the way a
/// customer of that language writes it). Written for this project; several phrasings per kind, casual and formal,
/// with the typos customers make.
enum CustomerPhrases {
    static func mention(shop: String, ref: String, byReference: Bool, language: String) -> String {
        switch (language, byReference) {
        case ("de", false): "die \(shop)-Bestellung"
        case ("de", true): "Bestellung \(ref)"
        case ("sv", false): "min order från \(shop)"
        case ("sv", true): "order \(ref)"
        case (_, false): "the \(shop) order"
        case (_, true): "order \(ref)"
        }
    }

    static func texts(_ kind: String, language: String) -> [String] {
        let bank: [String: [String]] =
            switch language {
            case "de": self.german
            case "sv": self.swedish
            default: self.english
            }
        return bank[kind] ?? self.english[kind] ?? []
    }

    static let english: [String: [String]] = [
        "pay_early:named": [
            "Can I pay off {mention} early? How much would that be?",
            "i want to pay the rest of {mention} now, how much is left",
            "How much do I need to pay to settle {mention} in full?",
        ],
        "extend_due_date:named": [
            "Can I move the due date of my next payment for {mention}?",
            "is it possible to postpone the next instalment for {mention} by a week",
        ],
        "cancel_order:named": [
            "I want to cancel {mention}, is that still possible?",
            "can you cancel {mention} please",
        ],
        "payment_status": [
            "Hi, I paid my last instalment for {mention}. Can you confirm it went through?",
            "did my payment for {mention} go thru",
            "Has my payment for {mention} been received? The app still shows it as open.",
            "just checking my payment for {mention} was received",
            "is my latest payment for {mention} paid?",
        ],
        "next_instalment": [
            "When is my next payment for {mention} due and how much is it?",
            "when do i have to pay the next instalment for {mention}",
            "How much is my next instalment for {mention} and when is it taken?",
            "next payment date for {mention}?",
        ],
        "refund_status": [
            "Where is my refund for {mention}?",
            "I returned {mention} two weeks ago, when do I get my money back?",
            "any update on the refund for {mention}",
            "Has the refund for {mention} been processed yet?",
        ],
        "payment_schedule_overview": [
            "Can you show me all my upcoming payments?",
            "what do i still have to pay and when",
            "Could I get an overview of my payment schedule please?",
        ],
        "payment_failed": [
            "Why did my payment for {mention} fail?",
            "my instalment for {mention} was declined, what happened",
            "The payment for {mention} didn't go through, why?",
        ],
        "order_not_received": [
            "I still haven't received {mention}, where is it?",
            "{mention} never arrived",
            "My parcel for {mention} hasn't arrived yet, what's going on?",
        ],
        "late_fee": [
            "Why was I charged a late fee on {mention}?",
            "what is this late fee for {mention}",
            "I got a late fee for {mention}, can you explain?",
        ],
        "wrong_amount_charged": [
            "I think I was charged the wrong amount for {mention}",
            "the amount taken for {mention} looks wrong to me, can you check",
        ],
        "return_item": [
            "How do I return an item I bought with you?", "how do returns work",
            "I want to send something back, how does that work?",
        ],
        "pay_early": [
            "Can I pay off my purchase early?", "how do i pay an instalment early",
            "Is it possible to pay everything now?",
        ],
        "change_payment_method": [
            "How do I change the card my payments are taken from?", "i want to update my payment method",
            "Can I switch to paying by direct debit?",
        ],
        "extend_due_date": [
            "Can I move my due date?", "how do i extend the due date of a payment",
            "Is it possible to postpone my next payment by a few days?",
        ],
        "how_it_works": [
            "How does pay later work?", "how does paying in 3 work",
            "What happens when I choose to pay in instalments?",
        ],
        "account_login": [
            "I can't log in to the app", "how do i reset my password", "I'm not getting the login code, what do I do?",
        ],
        "cancel_order": ["How do I cancel an order?", "i want to cancel my order, how"],
        "statement_request": ["Where can I find my statement?", "how do i download a receipt for my payments"],
        "promo_code_discount": [
            "Can I use a promo code when paying with you?", "my discount code didn't work at checkout",
        ],
        "update_personal_details": ["How do I change my address?", "i need to update my email address"],
        "asked_for_person": [
            "I want to talk to a person please",
            "can i speak to a human",
            "Please connect me with a real agent.",
            "let me talk to someone, not a bot",
        ],
        "complaint": [
            "I want to make a formal complaint about how I've been treated",
            "This is the third time I'm writing and nobody has fixed my problem. Unacceptable.",
            "I'm very unhappy with your service and want to file a complaint",
        ],
        "unrecognised_charge": [
            "There is a purchase on my account that I did not make",
            "someone used my account, i never bought this",
            "I don't recognise a charge on my account, I think it's fraud",
        ],
        "dispute_purchase": [
            "The shop sent me a broken item and refuses to refund me, I want to dispute the purchase",
            "i want to open a dispute, the item was not as described",
        ],
        "financial_hardship": [
            "I lost my job and can't afford my payments right now",
            "i'm struggling financially and can't pay the next instalment, what can i do",
        ],
        "bereavement": [
            "My husband passed away last month and the account was in his name",
            "my mother died, how do i close her account",
        ],
        "data_privacy_request": [
            "I want a copy of all the personal data you hold about me under GDPR", "please delete all my personal data",
        ],
        "close_account": ["I want to close my account", "please close my account"],
        "follow_up:next_instalment": ["And when is my next payment due?"],
        "follow_up:payment_schedule_overview": ["Thanks. How much do I still have to pay in total?"],
        "unhelped": ["that didn't help, it's still not resolved", "This doesn't answer my question at all"],
    ]

    static let german: [String: [String]] = [
        "pay_early:named": [
            "Kann ich {mention} vorzeitig komplett bezahlen? Wie viel wäre das?",
            "wie viel muss ich noch zahlen, um {mention} jetzt abzulösen",
        ],
        "extend_due_date:named": ["Kann ich die Fälligkeit meiner nächsten Rate für {mention} verschieben?"],
        "cancel_order:named": ["Ich möchte {mention} stornieren, geht das noch?"],
        "payment_status": [
            "Hallo, ich habe meine letzte Rate für {mention} bezahlt. Ist die Zahlung angekommen?",
            "ist meine zahlung für {mention} eingegangen",
            "Wurde meine Zahlung für {mention} verbucht? In der App steht noch offen.",
            "Hat die Abbuchung für {mention} geklappt?",
        ],
        "next_instalment": [
            "Wann ist meine nächste Rate für {mention} fällig und wie hoch ist sie?",
            "wann muss ich die nächste rate für {mention} zahlen",
            "Wie viel ist die nächste Rate für {mention}?",
        ],
        "refund_status": [
            "Wo bleibt meine Erstattung für {mention}?",
            "Ich habe {mention} zurückgeschickt, wann bekomme ich mein Geld?",
            "Gibt es Neuigkeiten zur Rückerstattung für {mention}?",
        ],
        "payment_schedule_overview": [
            "Kannst du mir alle meine anstehenden Zahlungen zeigen?",
            "was muss ich noch alles zahlen und wann",
        ],
        "payment_failed": [
            "Warum ist meine Zahlung für {mention} fehlgeschlagen?",
            "die rate für {mention} wurde abgelehnt, was ist passiert",
        ],
        "order_not_received": [
            "Ich habe {mention} immer noch nicht bekommen, wo ist sie?",
            "{mention} ist nie angekommen",
        ],
        "late_fee": [
            "Warum wurde mir für {mention} eine Mahngebühr berechnet?",
            "was ist das für eine mahngebühr bei {mention}",
        ],
        "wrong_amount_charged": [
            "Mir wurde für {mention} ein falscher Betrag abgebucht", "der abgebuchte betrag für {mention} stimmt nicht",
        ],
        "return_item": ["Wie kann ich einen Artikel zurückschicken?", "wie funktioniert eine rücksendung"],
        "pay_early": ["Kann ich meinen Einkauf vorzeitig bezahlen?", "wie zahle ich eine rate früher"],
        "change_payment_method": ["Wie ändere ich meine Zahlungsmethode?", "ich möchte eine andere karte hinterlegen"],
        "extend_due_date": ["Kann ich meinen Fälligkeitstermin verschieben?", "wie kann ich die zahlung aufschieben"],
        "how_it_works": ["Wie funktioniert Später bezahlen?", "wie funktioniert ratenzahlung bei euch"],
        "account_login": ["Ich kann mich nicht in der App anmelden", "wie setze ich mein passwort zurück"],
        "cancel_order": ["Wie storniere ich eine Bestellung?"],
        "statement_request": ["Wo finde ich meine Kontoauszüge?"],
        "promo_code_discount": ["Mein Gutscheincode hat beim Bezahlen nicht funktioniert"],
        "update_personal_details": ["Wie ändere ich meine Adresse?"],
        "asked_for_person": [
            "Ich möchte mit einem Menschen sprechen", "bitte verbinden Sie mich mit einem Mitarbeiter",
        ],
        "complaint": ["Ich möchte mich offiziell beschweren", "Beschwerde: mein Problem ist seit Wochen ungelöst"],
        "unrecognised_charge": [
            "Auf meinem Konto sind Käufe, die ich nicht gemacht habe",
            "jemand hat mein konto benutzt, ich habe das nicht bestellt",
        ],
        "dispute_purchase": [
            "Der Shop hat mir einen defekten Artikel geschickt und erstattet nicht, ich möchte den Kauf reklamieren"
        ],
        "financial_hardship": ["Ich habe meinen Job verloren und kann meine Raten gerade nicht bezahlen"],
        "bereavement": ["Mein Vater ist verstorben, das Konto lief auf seinen Namen"],
        "data_privacy_request": ["Ich möchte eine Kopie aller Daten, die ihr über mich speichert (DSGVO)"],
        "close_account": ["Ich möchte mein Konto schließen"],
        "follow_up:next_instalment": ["Und wann ist meine nächste Rate fällig?"],
        "follow_up:payment_schedule_overview": ["Danke. Wie viel muss ich insgesamt noch zahlen?"],
        "unhelped": ["das hat mir nicht geholfen, das problem ist immer noch da"],
    ]

    static let swedish: [String: [String]] = [
        "pay_early:named": ["Kan jag betala hela {mention} i förtid? Hur mycket blir det?"],
        "extend_due_date:named": ["Kan jag skjuta upp förfallodagen för nästa betalning för {mention}?"],
        "cancel_order:named": ["Jag vill avbryta {mention}, går det fortfarande?"],
        "payment_status": [
            "Hej, jag betalade min senaste delbetalning för {mention}. Har betalningen gått igenom?",
            "har ni fått min betalning för {mention}",
            "Är min betalning för {mention} registrerad? Appen visar den fortfarande som obetald.",
        ],
        "next_instalment": [
            "När ska nästa betalning för {mention} betalas och hur mycket är det?",
            "när förfaller nästa delbetalning för {mention}",
        ],
        "refund_status": [
            "Var är min återbetalning för {mention}?",
            "Jag skickade tillbaka {mention}, när får jag pengarna tillbaka?",
        ],
        "payment_schedule_overview": [
            "Kan du visa alla mina kommande betalningar?", "vad har jag kvar att betala och när",
        ],
        "payment_failed": [
            "Varför misslyckades min betalning för {mention}?", "betalningen för {mention} nekades, vad hände",
        ],
        "order_not_received": ["Jag har fortfarande inte fått {mention}, var är den?"],
        "late_fee": ["Varför fick jag en förseningsavgift på {mention}?"],
        "wrong_amount_charged": ["Jag tror att jag har debiterats fel belopp för {mention}"],
        "return_item": ["Hur returnerar jag en vara?", "hur fungerar returer"],
        "pay_early": ["Kan jag betala mitt köp i förtid?"],
        "change_payment_method": ["Hur byter jag betalningssätt?"],
        "extend_due_date": ["Kan jag skjuta upp mitt förfallodatum?"],
        "how_it_works": ["Hur fungerar betala senare?"],
        "account_login": ["Jag kan inte logga in i appen"],
        "cancel_order": ["Hur avbryter jag en beställning?"],
        "statement_request": ["Var hittar jag mina kontoutdrag?"],
        "promo_code_discount": ["Min rabattkod fungerade inte i kassan"],
        "update_personal_details": ["Hur ändrar jag min adress?"],
        "asked_for_person": ["Jag vill prata med en människa", "kan jag få prata med en riktig handläggare"],
        "complaint": ["Jag vill lämna in ett formellt klagomål"],
        "unrecognised_charge": ["Det finns ett köp på mitt konto som jag inte har gjort"],
        "dispute_purchase": ["Butiken skickade en trasig vara och vägrar återbetala, jag vill bestrida köpet"],
        "financial_hardship": ["Jag har förlorat mitt jobb och kan inte betala mina delbetalningar just nu"],
        "bereavement": ["Min mamma har gått bort och kontot stod i hennes namn"],
        "data_privacy_request": ["Jag vill ha en kopia av alla personuppgifter ni har om mig enligt GDPR"],
        "close_account": ["Jag vill avsluta mitt konto"],
        "follow_up:next_instalment": ["Och när ska min nästa betalning betalas?"],
        "follow_up:payment_schedule_overview": ["Tack. Hur mycket har jag kvar att betala totalt?"],
        "unhelped": ["det hjälpte inte, problemet är fortfarande inte löst"],
    ]
}
