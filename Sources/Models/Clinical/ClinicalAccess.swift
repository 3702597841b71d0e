/// Who may read and write clinical records.
public enum ClinicalAccess {
    /// Clinicians and admins read notes; the front desk books but never reads note contents.
    public static func requireRead(_ actor: Practitioner) throws {
        guard actor.role != .frontDesk else {
            throw ClinicError.refused("forbidden", "'\(actor.handle)' is front desk and cannot read clinical notes")
        }
    }

    /// Only clinicians record clinical data (consent, precautions, notes).
    public static func requireClinicalWriter(_ actor: Practitioner, allowAdmin: Bool = false) throws {
        guard actor.role == .clinician || (allowAdmin && actor.role == .admin) else {
            throw ClinicError.refused("forbidden", "'\(actor.handle)' is \(actor.role.rawValue) and cannot record clinical data")
        }
    }

    /// A note is written only by the practitioner of its appointment.
    public static func requireAuthor(_ actor: Practitioner, authorID: String) throws {
        guard actor.id == authorID else {
            throw ClinicError.refused("forbidden", "only the appointment's practitioner may write this note")
        }
    }

    /// The audit log names patients and actions: clinicians and admins read it, the front desk does not.
    public static func requireAuditReader(_ actor: Practitioner) throws {
        guard actor.role != .frontDesk else {
            throw ClinicError.refused("forbidden", "'\(actor.handle)' is front desk and cannot read the audit log")
        }
    }
}

/// Who may administer sync at a site. Without a named actor the command is the site operator's own.
public enum SyncAdministration {
    /// Trusting keys and releasing quarantined changes: admins only.
    public static func requireAdmin(_ actor: Practitioner?, to action: String) throws {
        if let actor, actor.role != .admin {
            throw ClinicError.refused("forbidden", "only an admin may \(action)")
        }
    }

    /// Resolving a conflict decides clinical or booking data: not the front desk.
    public static func requireResolver(_ actor: Practitioner?) throws {
        if let actor, actor.role == .frontDesk {
            throw ClinicError.refused("forbidden", "'\(actor.handle)' is front desk and cannot resolve sync conflicts")
        }
    }
}
