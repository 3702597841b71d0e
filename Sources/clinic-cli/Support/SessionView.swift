import ArgumentParser
import Foundation
import Models
import Storage

/// A session as `login` and `logout` print it.
struct SessionView: Encodable {
    let handle: String
    let expires_at: String?
    let session: Bool
}
