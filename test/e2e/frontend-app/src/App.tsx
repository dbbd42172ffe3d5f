import { QueryClient, QueryClientProvider, useQueryClient } from '@tanstack/react-query'
import { useState, type FormEvent } from 'react'
import {
  createGatewayClient,
  GatewayClientProvider,
  useMyOrganizationsInfiniteQuery,
  useOrganizationMembersInfiniteQuery,
  useSignOutMutation,
  useUpdateOrganizationMutation,
  type MyOrganizationsQuery,
} from '@workos-graphql-gateway/client'
import { useAppOrganizationEventsSubscription, useAppSelectOrganizationMutation, useAppSignInMutation, useAppViewerQuery } from './gql/hooks'

// The gateway answers on this app's own origin (/graphql), so its session cookie is same-site.
const gateway = createGatewayClient({ url: '/graphql' })
const queryClient = new QueryClient()

type Organization = NonNullable<MyOrganizationsQuery['organizations']>['edges'][number]['node']

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <GatewayClientProvider client={gateway}>
        <Screen />
      </GatewayClientProvider>
    </QueryClientProvider>
  )
}

function Screen() {
  const viewer = useAppViewerQuery()
  if (viewer.isPending) return <p>Loading…</p>
  if (viewer.isError) {
    return (
      <main>
        <p data-testid="viewer-error">{viewer.error.codes.join(',') || viewer.error.message}</p>
        <SignIn />
      </main>
    )
  }
  return (
    <main>
      <p data-testid="viewer">{viewer.data.viewer.user?.email}</p>
      <button data-testid="reload" disabled={viewer.isFetching} onClick={() => viewer.refetch()}>
        Reload
      </button>
      <p data-testid="viewer-fetching">{viewer.isFetching ? 'fetching' : 'idle'}</p>
      <SignOut />
      <Organizations />
    </main>
  )
}

function SignIn() {
  const client = useQueryClient()
  const [email, setEmail] = useState('')
  const [password, setPassword] = useState('')
  // Only a session reloads the viewer: a pending step keeps this form, and its choices, on screen.
  const signedIn = (typename: string) => typename === 'AuthenticationPayload' && client.resetQueries()
  const signIn = useAppSignInMutation({ onSuccess: (data) => signedIn(data.signInWithPassword.__typename) })
  const select = useAppSelectOrganizationMutation({ onSuccess: (data) => signedIn(data.signInWithOrganizationSelection.__typename) })
  const result = signIn.data?.signInWithPassword
  const selected = select.data?.signInWithOrganizationSelection
  const submit = (event: FormEvent) => {
    event.preventDefault()
    signIn.mutate({ input: { email, password } })
  }
  return (
    <form onSubmit={submit}>
      <input data-testid="email" value={email} onChange={(e) => setEmail(e.target.value)} />
      <input data-testid="password" type="password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button data-testid="sign-in" type="submit">
        Sign in
      </button>
      {result?.__typename === 'OrganizationSelectionRequiredError' && (
        <ul data-testid="choose-organization">
          {result.organizations.map((o) => (
            <li key={o.id}>
              <button
                data-testid={`choose-${o.id}`}
                type="button"
                onClick={() => select.mutate({ input: { pendingAuthenticationToken: result.pendingAuthenticationToken, organizationId: o.id } })}
              >
                {o.name}
              </button>
            </li>
          ))}
        </ul>
      )}
      {result && 'message' in result && result.__typename !== 'OrganizationSelectionRequiredError' && <p data-testid="sign-in-refused">{result.message}</p>}
      {selected && 'message' in selected && <p data-testid="sign-in-refused">{selected.message}</p>}
    </form>
  )
}

function SignOut() {
  const client = useQueryClient()
  const signOut = useSignOutMutation({ onSuccess: () => client.resetQueries() })
  return (
    <button data-testid="sign-out" onClick={() => signOut.mutate({})}>
      Sign out
    </button>
  )
}

function Organizations() {
  const organizations = useMyOrganizationsInfiniteQuery({ first: 10, membersFirst: 2 })
  const [selected, setSelected] = useState<string | null>(null)
  if (!organizations.data) return <p>Loading organizations…</p>
  const list = organizations.data.pages.flatMap((page) => page.organizations?.edges.map((edge) => edge.node) ?? [])
  const open = list.find((o) => o.id === selected)
  return (
    <section>
      <ul data-testid="organizations">
        {list.map((o) => (
          <li key={o.id}>
            <button data-testid={`open-${o.id}`} onClick={() => setSelected(o.id)}>
              {o.name}
            </button>
          </li>
        ))}
      </ul>
      {open && <OrganizationPanel key={open.id} organization={open} />}
    </section>
  )
}

function OrganizationPanel({ organization }: { organization: Organization }) {
  const events = useAppOrganizationEventsSubscription({ organizationId: organization.id })
  const last = events.data?.workosEvents.data as { name?: string } | undefined
  return (
    <section>
      <h2 data-testid="organization-name">{organization.name}</h2>
      <p data-testid="can-update">{organization.viewerCanUpdate ? 'may update' : 'read only'}</p>
      <p data-testid="events-status">{events.status}</p>
      <p data-testid="last-event">{last?.name ?? ''}</p>
      <Rename organization={organization} />
      <Members id={organization.id} />
    </section>
  )
}

function Rename({ organization }: { organization: Organization }) {
  const client = useQueryClient()
  const [name, setName] = useState('')
  const update = useUpdateOrganizationMutation({ onSuccess: () => client.invalidateQueries({ queryKey: ['MyOrganizations'] }) })
  const result = update.data?.updateOrganization
  const submit = (event: FormEvent) => {
    event.preventDefault()
    update.mutate({ input: { id: organization.id, name } })
  }
  return (
    <form onSubmit={submit}>
      <input data-testid="rename-input" value={name} onChange={(e) => setName(e.target.value)} />
      <button data-testid="rename" type="submit">
        Rename
      </button>
      {update.isError && <p data-testid="rename-error">{update.error.codes.join(',')}</p>}
      {result?.__typename === 'OrganizationPayload' && <p data-testid="renamed">{result.organization.name}</p>}
      {result && result.__typename !== 'OrganizationPayload' && <p data-testid="rename-refused">{result.__typename}</p>}
    </form>
  )
}

function Members({ id }: { id: string }) {
  const members = useOrganizationMembersInfiniteQuery({ id, first: 3 })
  const list = members.data?.pages.flatMap((page) => page.organization?.memberships?.edges.map((edge) => edge.node) ?? []) ?? []
  return (
    <section>
      <ol data-testid="members">
        {list.map((m) => (
          <li key={m.id} data-id={m.id}>
            {m.user?.email} ({m.role.slug})
          </li>
        ))}
      </ol>
      {members.hasNextPage && (
        <button data-testid="more-members" disabled={members.isFetchingNextPage} onClick={() => members.fetchNextPage()}>
          More members
        </button>
      )}
    </section>
  )
}
