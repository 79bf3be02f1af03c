/**
 * msdyn_bookingsystemstatus, the global choice behind bookingstatus.msdyn_fieldservicestatus
 * (https://learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status): what a
 * booking status means to Field Service, whatever it is called. The project-work-orders family
 * (progress from bookings) and the mobility routes (src/app/booking-rules.ts) both read statuses
 * through it, so it lives in the shared model.
 */
export const FS_STATUS = {
  scheduled: 690970000,
  traveling: 690970001,
  onBreak: 690970002,
  inProgress: 690970003,
  completed: 690970004,
  canceled: 690970005,
} as const;

/** Each value's name, as Field Service shows it. */
export const FS_STATUS_NAMES: Readonly<Record<number, string>> = {
  [FS_STATUS.scheduled]: 'Scheduled',
  [FS_STATUS.traveling]: 'Traveling',
  [FS_STATUS.onBreak]: 'On Break',
  [FS_STATUS.inProgress]: 'In Progress',
  [FS_STATUS.completed]: 'Completed',
  [FS_STATUS.canceled]: 'Canceled',
};
