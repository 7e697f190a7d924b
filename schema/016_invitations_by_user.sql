-- The simulator's phone list (GET /_emulator/v1/systems/{id}/phones) finds each user's newest
-- pending invitation: by user, not by a scan of the system's invitations per user.
CREATE INDEX invitations_by_user ON operating_device_invitations (user_id, seq);
