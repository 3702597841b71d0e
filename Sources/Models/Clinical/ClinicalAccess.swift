/// Who may write one particular note, beyond what the permission table says of the role.
public enum ClinicalAccess {
    /// A note is written only by the practitioner of its appointment.
    public static func requireAuthor(_ actor: Actor, authorID: String) throws {
        guard actor.id == authorID else {
            throw ClinicError(.forbidden, "only the appointment's practitioner may write this note")
        }
    }
}
