import { DateTimeResolver, JSONResolver } from 'graphql-scalars';
import { builder } from './builder.ts';

builder.addScalarType('DateTime', DateTimeResolver, {
  description: 'An ISO-8601 timestamp in UTC, e.g. 2026-01-15T12:00:00.000Z.',
});
builder.addScalarType('JSON', JSONResolver, {
  description: 'Free-form JSON, such as WorkOS metadata or raw directory attributes.',
});
