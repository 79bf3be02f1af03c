/**
 * bookableresourcebooking and bookingstatus with their Field Service columns (seed 002, issue 14).
 * Sources: learn.microsoft.com/dynamics365/field-service/developer/reference/entities/bookableresourcebooking,
 * …/bookingstatus, learn.microsoft.com/power-apps/developer/data-platform/reference/entities/bookableresourcebooking
 * (bookingstatus, starttime, endtime, duration SystemRequired; Resource delete Restrict) and
 * learn.microsoft.com/dynamics365/field-service/work-order-status-booking-status (the global choice
 * msdyn_bookingsystemstatus that maps every booking status to a Field Service status).
 */
import type { EntitySpec } from './dataverse/schema.js';

/** msdyn_bookingsystemstatus (bookingstatus.msdyn_fieldservicestatus). */
export const BOOKING_SYSTEM_STATUS: Record<number, string> = {
  690970000: 'Scheduled',
  690970001: 'Traveling',
  690970002: 'On Break',
  690970003: 'In Progress',
  690970004: 'Completed',
  690970005: 'Canceled',
};
export const FS = { scheduled: 690970000, traveling: 690970001, onBreak: 690970002, inProgress: 690970003, completed: 690970004, canceled: 690970005 } as const;

export const BOOKING_TABLES: EntitySpec[] = [
  {
    set: 'bookingstatuses',
    logicalName: 'bookingstatus',
    primaryName: 'name',
    states: { 0: ['Active', { 1: 'Active' }], 1: ['Inactive', { 2: 'Inactive' }] },
    columns: [
      { name: 'name', type: 'String', maxLength: 100, required: true },
      { name: 'status', type: 'Picklist', options: { 1: 'Proposed', 2: 'Committed', 3: 'Canceled' }, required: true, default: 2 },
      { name: 'msdyn_fieldservicestatus', type: 'Picklist', options: BOOKING_SYSTEM_STATUS },
      { name: 'msdyn_statuscompletesworkorder', type: 'Boolean', default: true },
    ],
  },
  {
    set: 'bookableresourcebookings',
    logicalName: 'bookableresourcebooking',
    primaryName: 'name',
    changeTracking: true,
    states: { 0: ['Active', { 1: 'Active' }], 1: ['Inactive', { 2: 'Inactive' }] },
    columns: [
      { name: 'name', type: 'String', maxLength: 100 },
      { name: '_bookingstatus_value', type: 'Lookup', navs: { BookingStatus: 'bookingstatuses' }, onDelete: 'Restrict', required: true },
      { name: '_resource_value', type: 'Lookup', navs: { Resource: 'bookableresources' }, onDelete: 'Restrict', required: true },
      { name: 'starttime', type: 'DateTime', required: true },
      { name: 'endtime', type: 'DateTime', required: true },
      { name: 'duration', type: 'Integer', min: 0, max: 2147483647, required: true },
      { name: 'bookingtype', type: 'Picklist', options: { 1: 'Solid', 2: 'Liquid' }, default: 1 },
      { name: '_msdyn_workorder_value', type: 'Lookup', navs: { msdyn_workorder: 'msdyn_workorders' }, onDelete: 'Cascade' },
      { name: '_msdyn_resourcerequirement_value', type: 'Lookup', navs: { msdyn_ResourceRequirement: 'msdyn_resourcerequirements' }, onDelete: 'RemoveLink' },
      { name: 'msdyn_actualarrivaltime', type: 'DateTime' },
      { name: 'msdyn_estimatedarrivaltime', type: 'DateTime' },
      { name: 'msdyn_actualtravelduration', type: 'Integer', min: 0, max: 2147483647 },
      { name: 'msdyn_estimatedtravelduration', type: 'Integer', min: 0, max: 2147483647 },
      {
        name: 'msdyn_bookingmethod',
        type: 'Picklist',
        options: { 192350000: 'Optimization', 690970001: 'Schedule Board', 690970002: 'Mobile', 690970003: 'Manual', 690970004: 'Schedule Assistant', 690970005: 'System-Agreement' },
        default: 690970003,
      },
    ],
  },
];
