/// A safety net under the intent model: phrases that mark a sensitive topic whatever intent the model predicts
/// (fraud, disputes, hardship, bereavement, power of attorney, legal complaints, data requests), in every language
/// the AI answers (English, German, Swedish). When it fires, the
/// inquiry is sensitive and can never be answered by the AI.
public struct SensitiveTopicDetector: Sendable {
    static let phrases = PhraseSet([
        "fraud", "fraudulent", "scam", "stolen", "identity theft", "hacked", "didn t make", "didnt make",
        "did not make this", "not me", "unauthorised", "unauthorized", "don t recognise", "dont recognise",
        "don t recognize", "dont recognize", "dispute", "chargeback", "charge back",
        "can t pay", "cant pay", "cannot pay", "can t afford", "cant afford", "lost my job", "hardship",
        "payment holiday", "debt", "bankrupt", "bankruptcy",
        "passed away", "died", "deceased", "bereavement", "power of attorney", "executor", "probate",
        "complaint", "complain", "ombudsman", "gdpr", "delete my data", "my personal data", "data protection",
        // German: fraud and purchases the customer did not make, disputes, hardship, bereavement, power of attorney,
        // complaints, data requests.
        "betrug", "betrüger", "betrügerisch", "gestohlen", "geklaut", "gehackt", "identitätsdiebstahl", "missbrauch",
        "nicht gemacht", "nicht getätigt", "nicht bestellt", "nicht autorisiert", "nicht von mir", "war ich nicht",
        "kenne ich nicht", "erkenne", "unbekannte abbuchung", "fremde abbuchung", "fremde käufe",
        "widerspruch", "widersprechen", "rückbuchung", "anfechten", "streitfall",
        "nicht bezahlen", "kann nicht zahlen", "nicht mehr zahlen", "kann mir nicht leisten", "arbeitslos", "job verloren", "arbeit verloren",
        "schulden", "insolvenz", "privatinsolvenz", "zahlungspause", "stundung",
        "verstorben", "gestorben", "todesfall", "nachlass", "erbe", "erbin", "vollmacht", "betreuer", "betreuerin",
        "beschwerde", "beschweren", "schlichtungsstelle", "datenschutz", "dsgvo", "daten löschen", "meine daten löschen",
        // Swedish: the same topics.
        "bedrägeri", "bedragare", "bluff", "stulen", "stulet", "stulna", "kapad", "kapat", "hackad", "hackat",
        "id stöld", "identitetsstöld", "inte jag", "inte gjort", "inte gjorde", "inte beställt", "inte godkänt",
        "känner inte igen", "obehörig", "okänd dragning", "okända köp",
        "bestrida", "bestrider", "tvist", "återkrav", "reklamationsnämnden",
        "kan inte betala", "har inte råd", "förlorat jobbet", "förlorade jobbet", "arbetslös", "skulder", "inkasso",
        "kronofogden", "betalningsanstånd", "skuldsanering",
        "gått bort", "gick bort", "avliden", "avled", "dödsbo", "dödsfall", "fullmakt", "god man",
        "klagomål", "klaga", "anmälan", "radera mina personuppgifter", "radera mina uppgifter", "ta bort mina uppgifter",
        "registerutdrag", "dataskydd",
    ])

    public init() {}

    public func detect(_ text: String) -> Bool {
        self.detect(NormalizedText(text))
    }

    public func detect(_ text: NormalizedText) -> Bool {
        Self.phrases.matches(text)
    }
}
