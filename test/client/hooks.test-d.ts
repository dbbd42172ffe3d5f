import type { InfiniteData } from '@tanstack/react-query';
import { describe, expectTypeOf, it } from 'vitest';
import {
  useOrganizationDetailQuery,
  useOrganizationListInfiniteQuery,
  useOrganizationListQuery,
  type GatewayRequestError,
  type OrganizationListQuery,
  type useCreateOrganizationMutation,
  type useSignInWithPasswordMutation,
  useOrganizationMembersInfiniteQuery,
  type MyOrganizationsQuery,
  type OrganizationMembersQuery,
  type useGraphQLSubscription,
} from '@workos-graphql-gateway/client';

/** Checked by `vitest` (typecheck) and `npm run typecheck`: results are typed from the schema. */
type Data<T extends (...args: never[]) => { data: unknown }> = NonNullable<ReturnType<T>['data']>;

describe('generated hooks', () => {
  it('type query results from the schema and the operation', () => {
    type Organization = NonNullable<Data<typeof useOrganizationDetailQuery>['organization']>;
    expectTypeOf<Organization['name']>().toEqualTypeOf<string>();
    expectTypeOf<Organization['externalId']>().toEqualTypeOf<string | null>();
    type Member = NonNullable<Organization['memberships']>['edges'][number]['node'];
    expectTypeOf<Member['role']['slug']>().toEqualTypeOf<string>();
    expectTypeOf<Member['status']>().toEqualTypeOf<'ACTIVE' | 'INACTIVE' | 'PENDING'>();
    // Lists are nullable (partial data): the type makes the page handle a missing one.
    expectTypeOf<Organization['memberships']>().toBeNullable();
    // @ts-expect-error not selected by the operation, so not in the type
    expectTypeOf<Organization['stripeCustomerId']>().toBeAny();
    // @ts-expect-error not in the schema at all
    expectTypeOf<Organization['nonexistentField']>().toBeAny();
    expectTypeOf<ReturnType<typeof useOrganizationDetailQuery>['error']>().toEqualTypeOf<GatewayRequestError | null>();
  });

  it('type variables: required ones must be given, optional ones may be left out', () => {
    expectTypeOf(useOrganizationDetailQuery).parameter(0).toEqualTypeOf<{ id: string | number; membersFirst?: number | null | undefined; membersAfter?: string | null | undefined }>();
    expectTypeOf(useOrganizationListQuery).toBeCallableWith();
    expectTypeOf(useOrganizationListQuery).toBeCallableWith({ first: 5, domains: ['acme.test'] });
    // @ts-expect-error `first` is an Int
    expectTypeOf(useOrganizationListQuery).toBeCallableWith({ first: 'five' });
    // @ts-expect-error the infinite hook owns `after`
    expectTypeOf(useOrganizationListInfiniteQuery).toBeCallableWith({ after: 'cursor' });
  });

  it('type infinite pages and mutation results', () => {
    expectTypeOf<Data<typeof useOrganizationListInfiniteQuery>>().toEqualTypeOf<InfiniteData<OrganizationListQuery, string | null>>();
    type Result = NonNullable<ReturnType<typeof useCreateOrganizationMutation>['data']>['createOrganization'];
    expectTypeOf<Result['__typename']>().toEqualTypeOf<'ConflictError' | 'NotFoundError' | 'OrganizationPayload' | 'ValidationError'>();
    expectTypeOf<Extract<Result, { __typename: 'ValidationError' }>['fields'][number]>().toEqualTypeOf<{ field: string; message: string }>();
    expectTypeOf<Extract<Result, { __typename: 'OrganizationPayload' }>['organization']['name']>().toEqualTypeOf<string>();
    type Mutate = ReturnType<typeof useCreateOrganizationMutation>['mutate'];
    expectTypeOf<Mutate>().toBeCallableWith({ input: { name: 'Acme' } });
    // @ts-expect-error `name` is required by CreateOrganizationInput
    expectTypeOf<Mutate>().toBeCallableWith({ input: { externalId: 'x' } });
  });
});

describe('starter operation hooks', () => {
  it('type the cursor-paged members, the permission fields and the subscription state', () => {
    type Page = InfiniteData<OrganizationMembersQuery, string | null>;
    expectTypeOf<Data<typeof useOrganizationMembersInfiniteQuery>>().toEqualTypeOf<Page>();
    type Member = NonNullable<NonNullable<OrganizationMembersQuery['organization']>['memberships']>['edges'][number]['node'];
    expectTypeOf<Member['viewerCanUpdate']>().toEqualTypeOf<boolean>();
    expectTypeOf<Member['viewerCanDelete']>().toEqualTypeOf<boolean>();
    // @ts-expect-error the infinite hook owns `after`; `id` is required
    expectTypeOf(useOrganizationMembersInfiniteQuery).toBeCallableWith({ after: 'cursor' });
    type Org = NonNullable<MyOrganizationsQuery['organizations']>['edges'][number]['node'];
    expectTypeOf<Org['viewerCanManageMembers']>().toEqualTypeOf<boolean>();
    type State = ReturnType<typeof useGraphQLSubscription<{ workosEvents: { id: string } }, Record<string, never>>>;
    expectTypeOf<State['status']>().toEqualTypeOf<'idle' | 'connecting' | 'open' | 'closed' | 'error'>();
    expectTypeOf<State['data']>().toEqualTypeOf<{ workosEvents: { id: string } } | undefined>();
  });

  it('type the sign-in results and the error details', () => {
    type Result = NonNullable<ReturnType<typeof useSignInWithPasswordMutation>['data']>['signInWithPassword'];
    expectTypeOf<Extract<Result, { __typename: 'AuthenticationPayload' }>['accessToken']>().toEqualTypeOf<string | null>();
    expectTypeOf<Extract<Result, { __typename: 'AuthenticationPayload' }>['cookieSession']>().toEqualTypeOf<boolean>();
    expectTypeOf<Extract<Result, { __typename: 'TooManyAttemptsError' }>['retryAfterSeconds']>().toEqualTypeOf<number>();
    expectTypeOf<GatewayRequestError['retryAfter']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<NonNullable<GatewayRequestError['cost']>['calls']>().toEqualTypeOf<number>();
  });
});
