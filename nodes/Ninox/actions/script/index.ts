import { defineResource } from '../resource';

// Operations are added one file each: <operation>.operation.ts, imported here.
export const script = defineResource('script', [], {});
