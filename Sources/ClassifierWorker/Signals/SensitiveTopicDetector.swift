/// A safety net under the intent model: phrases that mark a sensitive topic whatever intent the model predicts
/// (fraud, disputes, hardship, bereavement, power of attorney, legal complaints, data requests). When it fires, the
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
        "betrug", "gestohlen", "verstorben", "vollmacht", "beschwerde", "datenschutz", "nicht bezahlen",
    ])

    public init() {}

    public func detect(_ text: String) -> Bool {
        self.detect(NormalizedText(text))
    }

    public func detect(_ text: NormalizedText) -> Bool {
        Self.phrases.matches(text)
    }
}
