/** Roles and what each may do. Data scope (which org subtree) is applied separately. */
export const ROLES = [
  'resident',
  'grid_worker',
  'community_staff',
  'department_handler',
  'street_leader',
  'admin',
] as const;
export type Role = (typeof ROLES)[number];

export const PERMISSIONS = [
  'org.read',
  'org.write',
  'resident.read',
  'resident.write',
  'resident.reveal',
  'resident.import',
  'resident.export',
  'party.read',
  'party.write',
  'team.read',
  'team.write',
  'alliance.read',
  'alliance.write',
  'audit.read',
  'account.manage',
  'order.read',
  'order.create',
  'order.dispatch',
  'order.handle',
  'order.resolve',
  'order.supervise',
  'activity.read',
  'activity.write',
  'settings.manage',
] as const;
export type Permission = (typeof PERMISSIONS)[number];

const READ_ALL: Permission[] = ['org.read', 'resident.read', 'party.read', 'team.read', 'alliance.read', 'activity.read'];

/** Which permissions each role holds. The single source for server checks and UI navigation. */
export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  resident: [],
  grid_worker: [...READ_ALL, 'resident.write', 'order.read', 'order.create', 'order.handle', 'order.resolve'],
  community_staff: [
    ...READ_ALL,
    'org.write',
    'resident.write',
    'resident.reveal',
    'resident.import',
    'resident.export',
    'party.write',
    'team.write',
    'alliance.write',
    'audit.read',
    'order.read',
    'order.create',
    'order.dispatch',
    'order.handle',
    'order.resolve',
    'activity.write',
  ],
  department_handler: ['org.read', 'order.read', 'order.handle'],
  street_leader: [...READ_ALL, 'resident.export', 'audit.read', 'order.read', 'order.create', 'order.dispatch', 'order.supervise'],
  admin: [...PERMISSIONS],
};

export function hasPermission(role: Role, permission: Permission): boolean {
  return ROLE_PERMISSIONS[role].includes(permission);
}
