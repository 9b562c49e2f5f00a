import Vapor

extension Request {
    /// A page's form as the person typed it, and what `InputGuard` refused in it (a text too long, a control
    /// character): the page returns with the message beside the field and the text still in it, where the API
    /// answers 422. A body that cannot be read at all is still refused (400).
    func typedForm<T: Decodable>(_ type: T.Type) throws -> (form: T, refused: ValidationProblem?) {
        do {
            return (try content.decode(T.self), nil)
        } catch let refused as ValidationProblem {
            guard let body = body.string else { throw refused }
            return (try URLEncodedFormDecoder().decode(T.self, from: body), refused)
        }
    }
}
