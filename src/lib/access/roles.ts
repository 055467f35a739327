/**
 * Who may do what in a workspace. Pure: the server's access module looks the role up and asks here.
 */
export const ROLES = ['owner', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 1, editor: 2, owner: 3 };

/** Each action with the least role that may do it. */
export const PERMISSIONS = {
	'workspace:read': 'viewer',
	'workspace:manage': 'owner',
	'workspace:delete': 'owner',
	'member:manage': 'owner',
	'invite:manage': 'owner',
	'apikey:manage': 'owner',
	'journey:read': 'viewer',
	'journey:create': 'editor',
	'journey:edit': 'editor',
	'journey:delete': 'editor',
	// Executives ask questions on the map they may not edit.
	'comment:write': 'viewer',
	'version:create': 'editor',
	'version:restore': 'editor',
	'template:manage': 'editor',
	'feedback:read': 'viewer',
	'feedback:handle': 'editor',
	'taxonomy:edit': 'editor',
	'loop:read': 'viewer',
	'loop:edit': 'editor'
} as const satisfies Record<string, Role>;

export type Action = keyof typeof PERMISSIONS;

export function isRole(value: unknown): value is Role {
	return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export function roleAllows(role: Role, action: Action): boolean {
	return RANK[role] >= RANK[PERMISSIONS[action]];
}
