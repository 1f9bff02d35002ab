-- Revision 0015: the staff pickers (sales and project managers, administrators) read users by
-- role.  platform.users.role is also a column of the users_directory policy, and had no index:
-- every case list read all ~6,150 users of the large dataset to find ~40 staff (0.9 ms a view).
CREATE INDEX idx_users_role ON platform.users (role);
