package web

import (
	"lantern"
)

// The route table: what each registered route does, in the policy's terms
// (lantern.Policy), and what record its path names. A route not in it
// cannot be registered (Server.handle panics at start), so a new route
// cannot be added without deciding who may use it; the test of every route
// (authz_test.go) expects of each what the policy says.

// on is what a route's path names, and so the caller's relation to it.
type on int

const (
	// onPublic: anyone, signed in or not (sign-in, health, assets).
	onPublic on = iota
	// onSession: someone part-way through signing in (the handler checks
	// the stage).
	onSession
	// onArea: no one record: a list, a new record, the area's figures, an
	// administrator's work; the relation is RelArea.
	onArea
	// onSelf: the caller's own account.
	onSelf
	// onChild: {id} names a child.
	onChild
	// onMeeting: {id} names a meeting.
	onMeeting
	// onTask: {tid} names a task.
	onTask
)

// onNames name what a path names, for the test of every route.
var onNames = [...]string{onPublic: "public", onSession: "session", onArea: "area", onSelf: "self", onChild: "child", onMeeting: "meeting", onTask: "task"}

// RouteRule is a route's row, for the test of every route: the policy's
// resource and action, and what its path names (public, session, area,
// self, child, meeting or task).
type RouteRule struct {
	Resource lantern.Resource
	Action   lantern.Action
	On       string
}

// RuleOf is a registered route's row.
func RuleOf(pattern string) (RouteRule, bool) {
	rt, ok := routeTable[pattern]
	return RouteRule{rt.Res, rt.Act, onNames[rt.On]}, ok
}

// route is a row of the table.
type route struct {
	Res lantern.Resource
	Act lantern.Action
	On  on
}

func (rt route) public() bool { return rt.On == onPublic || rt.On == onSession }

// checksFirst reports whether the route's record and action are checked
// before its handler runs: every action but a read, so that someone who may
// not act is told so before their input is read, and a form they could not
// save is not shown. Reads are checked by the store as it reads, and
// audited.
func (rt route) checksFirst() bool {
	return !rt.public() && rt.Act != lantern.ActRead && rt.Act != lantern.ActList
}

var (
	child       = lantern.ResChild
	concern     = lantern.ResConcern
	assessment  = lantern.ResAssessment
	event       = lantern.ResEvent
	statutory   = lantern.ResStatutory
	episode     = lantern.ResEpisode
	task        = lantern.ResTask
	involvement = lantern.ResInvolvement
	meeting     = lantern.ResMeeting
	directory   = lantern.ResDirectory
	toolkit_    = lantern.ResToolkit
	work        = lantern.ResWork
	team        = lantern.ResTeam
	figures     = lantern.ResFigures
	figureShare = lantern.ResFigureShare
	audit       = lantern.ResAudit
	users       = lantern.ResUser
	agencies    = lantern.ResAgency
	calendar    = lantern.ResCalendar
	account     = lantern.ResAccount
	frontdoor   = lantern.ResFrontDoor
	inforeq     = lantern.ResInfoRequest
	consult     = lantern.ResConsultation
	intel       = lantern.ResIntel
	network     = lantern.ResNetwork
	disruption  = lantern.ResDisruption
	intelShare  = lantern.ResIntelShare
	boundary    = lantern.ResAreaBoundary
	share       = lantern.ResShare
	agreement   = lantern.ResAgreement
	seal        = lantern.ResSeal
	breakGlass  = lantern.ResBreakGlass
	passkey     = lantern.ResPasskey
	strategy    = lantern.ResStrategy
	register    = lantern.ResPolicyRegister

	list      = lantern.ActList
	read      = lantern.ActRead
	create    = lantern.ActCreate
	change    = lantern.ActChange
	merge     = lantern.ActMerge
	close_    = lantern.ActClose
	outcome   = lantern.ActRecordOutcome
	done      = lantern.ActComplete
	approve   = lantern.ActApprove
	duplicate = lantern.ResDuplicate

	allocate = lantern.ActAllocate
)

// meeting routes name the resource for a meeting about children: the store
// and the check before the handler use the rules for a meeting about no
// child (lantern.ResContextMeeting) when it has none.
var routeTable = map[string]route{
	"GET /assets/":                  {On: onPublic},
	"GET /healthz":                  {On: onPublic},
	"GET /readyz":                   {On: onPublic},
	"GET /api/v1/openapi.json":      {On: onPublic},
	"GET /sign-in":                  {On: onPublic},
	"POST /sign-in":                 {On: onPublic},
	"GET /sign-in/oidc":             {On: onPublic},
	"POST /sign-in/passkey/options": {On: onSession},
	"POST /sign-in/passkey":         {On: onSession},
	"GET /sign-in/oidc/callback":    {On: onPublic},
	"GET /sign-in/two-factor":       {On: onSession},
	"POST /sign-in/two-factor":      {On: onSession},
	"GET /sign-in/enrol":            {On: onSession},
	"GET /sign-in/enrol/qr.png":     {On: onSession},
	"POST /sign-in/enrol":           {On: onSession},
	"POST /sign-out":                {On: onPublic},
	"GET /set-password/{token}":     {On: onPublic},
	"POST /set-password/{token}":    {On: onPublic},
	// What is not found is not found to the signed-in; others sign in first.
	"/":     {account, read, onSelf},
	"/api/": {account, read, onSelf},

	"GET /{$}":                           {account, read, onSelf},
	"GET /account":                       {account, read, onSelf},
	"POST /account/tokens":               {account, change, onSelf},
	"POST /account/passkeys/options":     {passkey, create, onSelf},
	"POST /account/passkeys":             {passkey, create, onSelf},
	"POST /account/passkeys/{id}/revoke": {account, change, onSelf}, // the store: the passkey's owner, or an administrator
	"POST /account/tokens/{id}/revoke":   {account, change, onSelf}, // the store: the token's owner, or an administrator
	"POST /account/password":             {account, change, onSelf},
	"POST /session/extend":               {account, change, onSelf}, // more time before the idle timeout
	"GET /session/held":                  {account, read, onSelf},   // a form sent as the session ended, back to its writer
	"GET /api/v1/me":                     {account, read, onSelf},
	"GET /api/v1/agencies":               {agencies, list, onArea},

	"GET /children":                         {child, list, onArea},
	"GET /children/new":                     {child, create, onArea},
	"POST /children":                        {child, create, onArea},
	"GET /children/{id}":                    {child, read, onChild},
	"GET /children/{id}/edit":               {child, change, onChild},
	"POST /children/{id}/edit":              {child, change, onChild},
	"GET /api/v1/children":                  {child, list, onArea},
	"POST /api/v1/children":                 {child, create, onArea},
	"GET /api/v1/children/{id}":             {child, read, onChild},
	"PATCH /api/v1/children/{id}":           {child, change, onChild},
	"GET /api/v1/children/matches":          {child, list, onArea},
	"POST /api/v1/children/{id}/merge":      {child, merge, onChild},
	"GET /children/{id}/merge":              {child, merge, onChild},
	"POST /children/{id}/merge":             {child, merge, onChild},
	"GET /children/{id}/allocate":           {child, allocate, onChild},
	"POST /children/{id}/allocate":          {child, allocate, onChild},
	"POST /api/v1/children/{id}/allocation": {child, allocate, onChild},

	"GET /children/duplicates":                 {duplicate, list, onArea},
	"POST /children/duplicates/dismiss":        {duplicate, change, onArea},
	"GET /api/v1/possible-duplicates":          {duplicate, list, onArea},
	"POST /api/v1/possible-duplicates/dismiss": {duplicate, change, onArea},
	"GET /children/{id}/chronology":            {child, read, onChild}, // each item as its own resource's read rule allows
	"GET /api/v1/children/{id}/chronology":     {child, read, onChild},

	// Information sharing (docs/information-governance.md).
	"GET /children/{id}/shares/new":              {share, create, onChild},
	"POST /children/{id}/shares":                 {share, create, onChild},
	"GET /children/{id}/seal":                    {seal, read, onChild},
	"POST /children/{id}/seal":                   {seal, create, onChild},
	"POST /children/{id}/seal/allow-list":        {seal, change, onChild},
	"POST /children/{id}/unseal":                 {seal, change, onChild},
	"GET /children/{id}/break-glass":             {breakGlass, create, onChild}, // on a record the caller cannot see: the store checks
	"POST /children/{id}/break-glass":            {breakGlass, create, onChild},
	"GET /break-glass":                           {breakGlass, list, onArea},
	"POST /break-glass/{bgid}/review":            {breakGlass, change, onArea},
	"GET /agreements":                            {agreement, list, onArea},
	"GET /agreements/new":                        {agreement, change, onArea},
	"POST /agreements":                           {agreement, change, onArea},
	"GET /agreements/{agid}/edit":                {agreement, change, onArea},
	"POST /agreements/{agid}":                    {agreement, change, onArea},
	"GET /shares/received":                       {share, list, onArea},
	"GET /reports/not-shared":                    {figures, read, onArea},
	"POST /api/v1/children/{id}/shares":          {share, create, onChild},
	"GET /api/v1/children/{id}/shares":           {share, read, onChild},
	"GET /api/v1/shares/received":                {share, list, onArea},
	"GET /api/v1/reports/not-shared":             {figures, read, onArea},
	"GET /api/v1/reports/dataset":                {figures, read, onArea},
	"GET /reports/dataset":                       {figures, read, onArea},
	"GET /reports/dataset.csv":                   {figures, read, onArea},
	"GET /reports/shared":                        {figureShare, read, onArea},
	"POST /reports/shared":                       {figureShare, create, onArea},
	"GET /reports/shared/{fsid}":                 {figureShare, read, onArea},
	"GET /reports/shared/{fsid}/dataset.csv":     {figureShare, read, onArea},
	"GET /api/v1/reports/shared":                 {figureShare, read, onArea},
	"POST /api/v1/reports/shared":                {figureShare, create, onArea},
	"GET /api/v1/reports/shared/{fsid}":          {figureShare, read, onArea},
	"GET /reports/dataset.ods":                   {figures, read, onArea},
	"GET /reports/trend":                         {figures, read, onArea},
	"GET /reports/trend.csv":                     {figures, read, onArea},
	"GET /reports/trend.ods":                     {figures, read, onArea},
	"GET /reports/profile":                       {figures, read, onArea},
	"GET /api/v1/reports/trend":                  {figures, read, onArea},
	"GET /api/v1/agreements":                     {agreement, list, onArea},
	"POST /api/v1/agreements":                    {agreement, change, onArea},
	"PUT /api/v1/agreements/{agid}":              {agreement, change, onArea},
	"GET /api/v1/children/{id}/seal":             {seal, read, onChild},
	"POST /api/v1/children/{id}/seal":            {seal, create, onChild},
	"DELETE /api/v1/children/{id}/seal":          {seal, change, onChild},
	"POST /api/v1/children/{id}/seal/allow-list": {seal, change, onChild},
	"POST /api/v1/children/{id}/break-glass":     {breakGlass, create, onChild}, // on a record the caller cannot see: the store checks
	"GET /api/v1/break-glass":                    {breakGlass, list, onArea},
	"POST /api/v1/break-glass/{bgid}/review":     {breakGlass, change, onArea},
	"GET /children.csv":                          {child, list, onArea},

	// The child-level extracts (docs/extracts.md): analysts only; {file}
	// is a table's name with .csv, not a child.
	"GET /reports/extracts":                {lantern.ResExtract, read, onArea},
	"GET /reports/extracts/{file}":         {lantern.ResExtract, read, onArea},
	"GET /api/v1/reports/extracts/{table}": {lantern.ResExtract, read, onArea},

	"GET /children/{id}/names/new":                         {child, change, onChild},
	"POST /children/{id}/names/new":                        {child, change, onChild},
	"POST /children/{id}/names/{item_id}/remove":           {child, change, onChild},
	"GET /children/{id}/addresses/new":                     {child, change, onChild},
	"POST /children/{id}/addresses/new":                    {child, change, onChild},
	"POST /children/{id}/addresses/{item_id}/remove":       {child, change, onChild},
	"GET /children/{id}/schools/new":                       {child, change, onChild},
	"POST /children/{id}/schools/new":                      {child, change, onChild},
	"POST /children/{id}/schools/{item_id}/remove":         {child, change, onChild},
	"GET /children/{id}/professionals/new":                 {child, change, onChild},
	"POST /children/{id}/professionals/new":                {child, change, onChild},
	"POST /children/{id}/professionals/{item_id}/remove":   {child, change, onChild},
	"GET /children/{id}/family/new":                        {child, change, onChild},
	"POST /children/{id}/family/new":                       {child, change, onChild},
	"POST /children/{id}/family/{item_id}/remove":          {child, change, onChild},
	"GET /children/{id}/siblings/new":                      {child, change, onChild},
	"POST /children/{id}/siblings/new":                     {child, change, onChild},
	"POST /children/{id}/siblings/{sibling_id}/remove":     {child, change, onChild},
	"GET /api/v1/children/{id}/names":                      {child, read, onChild},
	"POST /api/v1/children/{id}/names":                     {child, change, onChild},
	"DELETE /api/v1/children/{id}/names/{item_id}":         {child, change, onChild},
	"GET /api/v1/children/{id}/addresses":                  {child, read, onChild},
	"POST /api/v1/children/{id}/addresses":                 {child, change, onChild},
	"DELETE /api/v1/children/{id}/addresses/{item_id}":     {child, change, onChild},
	"GET /api/v1/children/{id}/schools":                    {child, read, onChild},
	"POST /api/v1/children/{id}/schools":                   {child, change, onChild},
	"DELETE /api/v1/children/{id}/schools/{item_id}":       {child, change, onChild},
	"GET /api/v1/children/{id}/professionals":              {child, read, onChild},
	"POST /api/v1/children/{id}/professionals":             {child, change, onChild},
	"DELETE /api/v1/children/{id}/professionals/{item_id}": {child, change, onChild},
	"GET /api/v1/children/{id}/family":                     {child, read, onChild},
	"POST /api/v1/children/{id}/family":                    {child, change, onChild},
	"DELETE /api/v1/children/{id}/family/{item_id}":        {child, change, onChild},
	"GET /api/v1/children/{id}/siblings":                   {child, read, onChild},
	"POST /api/v1/children/{id}/siblings":                  {child, change, onChild},
	"DELETE /api/v1/children/{id}/siblings/{sibling_id}":   {child, change, onChild},

	"GET /children/{id}/agencies":                       {involvement, read, onChild},
	"POST /children/{id}/agencies":                      {involvement, create, onChild},
	"POST /children/{id}/agencies/{iid}/end":            {involvement, change, onChild},
	"GET /api/v1/children/{id}/involvements":            {involvement, read, onChild},
	"POST /api/v1/children/{id}/involvements":           {involvement, create, onChild},
	"POST /api/v1/children/{id}/involvements/{iid}/end": {involvement, change, onChild},

	"GET /children/{id}/concerns/new":                 {concern, create, onChild},
	"POST /children/{id}/concerns":                    {concern, create, onChild},
	"GET /children/{id}/concerns/{cid}":               {concern, read, onChild},
	"POST /children/{id}/concerns/{cid}/steps":        {concern, change, onChild},
	"POST /api/v1/children/{id}/concerns":             {concern, create, onChild},
	"GET /api/v1/children/{id}/concerns":              {concern, read, onChild},
	"GET /api/v1/children/{id}/concerns/{cid}":        {concern, read, onChild},
	"POST /api/v1/children/{id}/concerns/{cid}/steps": {concern, change, onChild},

	"GET /children/{id}/assessments/new":     {assessment, create, onChild},
	"POST /children/{id}/assessments":        {assessment, create, onChild},
	"GET /children/{id}/assessments/{aid}":   {assessment, read, onChild},
	"POST /api/v1/children/{id}/assessments": {assessment, create, onChild},
	"GET /api/v1/children/{id}/assessments":  {assessment, read, onChild},
	"POST /api/v1/toolkit/score":             {toolkit_, read, onArea},
	"GET /api/v1/toolkits/{tid}":             {toolkit_, read, onArea},
	"GET /admin/toolkits":                    {toolkit_, change, onArea},
	"POST /admin/toolkits":                   {toolkit_, change, onArea},
	"POST /admin/toolkits/current":           {toolkit_, change, onArea},

	// One assessment, with the decisions on suggestions from intelligence;
	// the suggestions for a new assessment's form.
	"GET /api/v1/children/{id}/assessments/{aid}": {assessment, read, onChild},
	"GET /api/v1/children/{id}/toolkit/prompts":   {assessment, create, onChild},

	"GET /api/v1/children/{id}/tasks":                    {task, read, onChild},
	"POST /api/v1/tasks/{tid}/close":                     {task, close_, onTask},
	"GET /api/v1/tasks/{tid}":                            {task, read, onTask},
	"POST /api/v1/tasks/{tid}/complete":                  {task, done, onTask}, // the team that holds it, or its owner
	"GET /tasks/{tid}":                                   {task, read, onTask},
	"POST /tasks/{tid}/done":                             {task, done, onTask},
	"POST /api/v1/children/{id}/referrals":               {event, create, onChild},
	"GET /api/v1/children/{id}/referrals":                {event, read, onChild},
	"PATCH /api/v1/children/{id}/referrals/{rid}":        {event, change, onChild},
	"POST /api/v1/children/{id}/strategy-discussions":    {event, create, onChild},
	"POST /api/v1/children/{id}/conferences":             {event, create, onChild},
	"POST /api/v1/children/{id}/core-groups":             {event, create, onChild},
	"PATCH /api/v1/children/{id}/s47-enquiries/{sid}":    {statutory, change, onChild},
	"GET /api/v1/children/{id}/protection-plans":         {event, read, onChild},
	"POST /children/{id}/s47-enquiries/{eid}/complete":   {statutory, change, onChild},
	"POST /api/v1/children/{id}/social-work-assessments": {statutory, create, onChild},
	"POST /api/v1/children/{id}/s47-enquiries":           {statutory, create, onChild},
	"GET /children/{id}/referrals/new":                   {event, create, onChild},
	"POST /children/{id}/referrals/new":                  {event, create, onChild},
	"GET /children/{id}/strategy-discussions/new":        {event, create, onChild},
	"POST /children/{id}/strategy-discussions/new":       {event, create, onChild},
	"GET /children/{id}/conferences/new":                 {event, create, onChild},
	"POST /children/{id}/conferences/new":                {event, create, onChild},
	"GET /children/{id}/core-groups/new":                 {event, create, onChild},
	"POST /children/{id}/core-groups/new":                {event, create, onChild},
	"GET /children/{id}/social-work-assessments/new":     {statutory, create, onChild},
	"POST /children/{id}/social-work-assessments/new":    {statutory, create, onChild},
	"GET /children/{id}/s47-enquiries/new":               {statutory, create, onChild},
	"POST /children/{id}/s47-enquiries/new":              {statutory, create, onChild},
	"GET /children/{id}/referrals/{eid}":                 {event, read, onChild},
	"POST /children/{id}/referrals/{eid}/update":         {event, change, onChild},
	"GET /children/{id}/strategy-discussions/{eid}":      {event, read, onChild},
	"GET /children/{id}/conferences/{eid}":               {event, read, onChild},
	"GET /children/{id}/core-groups/{eid}":               {event, read, onChild},
	"GET /children/{id}/social-work-assessments/{eid}":   {event, read, onChild},
	"GET /children/{id}/s47-enquiries/{eid}":             {event, read, onChild},

	"GET /children/{id}/missing-episodes/new":                     {episode, create, onChild},
	"POST /children/{id}/missing-episodes/new":                    {episode, create, onChild},
	"GET /children/{id}/missing-episodes/{eid}":                   {episode, read, onChild},
	"POST /children/{id}/missing-episodes/{eid}/return":           {episode, change, onChild},
	"POST /children/{id}/missing-episodes/{eid}/interview":        {episode, change, onChild},
	"POST /api/v1/children/{id}/missing-episodes":                 {episode, create, onChild},
	"GET /api/v1/children/{id}/missing-episodes":                  {episode, read, onChild},
	"GET /api/v1/children/{id}/missing-episodes/{eid}":            {episode, read, onChild},
	"PATCH /api/v1/children/{id}/missing-episodes/{eid}":          {episode, change, onChild},
	"POST /api/v1/children/{id}/missing-episodes/{eid}/interview": {episode, change, onChild},

	"GET /meetings":                                        {meeting, list, onArea},
	"GET /meetings/new":                                    {meeting, create, onArea},
	"POST /meetings/new":                                   {meeting, create, onArea},
	"GET /meetings/{id}":                                   {meeting, read, onMeeting},
	"GET /meetings/{id}/invite.ics":                        {meeting, read, onMeeting},
	"GET /meetings/{id}/pack.pdf":                          {meeting, read, onMeeting},
	"POST /meetings/{id}/invitations":                      {meeting, change, onMeeting},
	"GET /meetings/{id}/change":                            {meeting, change, onMeeting},
	"POST /meetings/{id}/change":                           {meeting, change, onMeeting},
	"POST /meetings/{id}/cancel":                           {meeting, change, onMeeting},
	"GET /meetings/{id}/invitees":                          {meeting, change, onMeeting},
	"POST /meetings/{id}/invitees":                         {meeting, change, onMeeting},
	"GET /meetings/{id}/outcome":                           {meeting, outcome, onMeeting},
	"POST /meetings/{id}/outcome":                          {meeting, outcome, onMeeting},
	"POST /meetings/{id}/actions/{action}/complete":        {meeting, done, onMeeting}, // or the action's owner
	"POST /meetings/{id}/distribute":                       {meeting, change, onMeeting},
	"POST /api/v1/meetings":                                {meeting, create, onArea},
	"GET /api/v1/meetings/{id}":                            {meeting, read, onMeeting},
	"GET /api/v1/meetings/{id}/invite.ics":                 {meeting, read, onMeeting},
	"POST /api/v1/meetings/{id}/outcome":                   {meeting, outcome, onMeeting},
	"PATCH /api/v1/meetings/{id}":                          {meeting, change, onMeeting},
	"POST /api/v1/meetings/{id}/cancel":                    {meeting, change, onMeeting},
	"PUT /api/v1/meetings/{id}/invitees":                   {meeting, change, onMeeting},
	"POST /api/v1/meetings/{id}/invitations":               {meeting, change, onMeeting},
	"POST /api/v1/meetings/{id}/actions/{action}/complete": {meeting, done, onMeeting},
	"POST /api/v1/meetings/{id}/distribute":                {meeting, change, onMeeting},
	"GET /api/v1/meetings/{id}/shares":                     {meeting, read, onMeeting},
	"GET /api/v1/meetings/{id}/pack.pdf":                   {meeting, read, onMeeting},
	"GET /api/v1/meeting-suggestions":                      {directory, list, onArea},

	"GET /api/v1/directory":      {directory, list, onArea},
	"POST /api/v1/directory":     {directory, change, onArea},
	"GET /api/v1/directory/{id}": {directory, list, onArea},
	"PUT /api/v1/directory/{id}": {directory, change, onArea},
	"GET /admin/directory":       {directory, change, onArea},
	"GET /admin/directory/new":   {directory, change, onArea},
	"POST /admin/directory":      {directory, change, onArea},
	"GET /admin/directory/{id}":  {directory, change, onArea},
	"POST /admin/directory/{id}": {directory, change, onArea},

	"GET /api/v1/front-door":                                          {frontdoor, list, onArea},
	"GET /api/v1/children/{id}/referrals/{rid}/ratings":               {event, read, onChild},
	"POST /api/v1/children/{id}/referrals/{rid}/ratings":              {frontdoor, change, onChild},
	"GET /api/v1/children/{id}/referrals/{rid}/information-requests":  {event, read, onChild},
	"POST /api/v1/children/{id}/referrals/{rid}/information-requests": {frontdoor, change, onChild},
	"PUT /api/v1/children/{id}/referrals/{rid}/consent":               {frontdoor, change, onChild},
	"POST /api/v1/children/{id}/referrals/{rid}/consent/approve":      {frontdoor, approve, onChild},
	// An agency's requests: the store shows each to the agency asked and
	// the front door, and lets the agency asked answer.
	"GET /api/v1/information-requests":                    {inforeq, list, onArea},
	"GET /api/v1/information-requests/{qid}":              {inforeq, list, onArea},
	"POST /api/v1/information-requests/{qid}/answer":      {inforeq, change, onArea},
	"GET /api/v1/consultations":                           {consult, list, onArea},
	"POST /api/v1/consultations":                          {consult, create, onArea},
	"POST /api/v1/consultations/{kid}/advice":             {consult, change, onArea},
	"GET /front-door.csv":                                 {frontdoor, list, onArea},
	"GET /front-door":                                     {frontdoor, list, onArea},
	"POST /children/{id}/referrals/{eid}/rating":          {frontdoor, change, onChild},
	"POST /children/{id}/referrals/{eid}/requests":        {frontdoor, change, onChild},
	"POST /children/{id}/referrals/{eid}/consent":         {frontdoor, change, onChild},
	"POST /children/{id}/referrals/{eid}/consent/approve": {frontdoor, approve, onChild},
	"GET /requests":                                       {inforeq, list, onArea},
	"POST /requests/{qid}/answer":                         {inforeq, change, onArea},
	"GET /consultations":                                  {consult, list, onArea},
	"POST /consultations":                                 {consult, create, onArea},
	"POST /consultations/{kid}/advice":                    {consult, change, onArea},
	"GET /api/v1/alerts":                                  {work, read, onArea},

	"GET /work":                           {work, read, onArea},
	"GET /api/v1/work":                    {work, read, onArea},
	"GET /work/team":                      {team, read, onArea},
	"GET /api/v1/work/team":               {team, read, onArea},
	"GET /reports/timeliness":             {figures, read, onArea},
	"GET /api/v1/reports/timeliness":      {figures, read, onArea},
	"GET /reports/meetings":               {figures, read, onArea},
	"GET /api/v1/reports/meetings":        {figures, read, onArea},
	"GET /api/v1/reports/meeting-figures": {figures, read, onArea},
	"GET /reports/missing":                {figures, read, onArea},
	"GET /api/v1/reports/missing":         {figures, read, onArea},

	"GET /audit":        {audit, read, onArea},
	"GET /api/v1/audit": {audit, read, onArea},

	"GET /admin/users":                           {users, read, onArea},
	"GET /admin/users/new":                       {users, change, onArea},
	"POST /admin/users":                          {users, change, onArea},
	"GET /admin/users/{id}":                      {users, read, onArea},
	"POST /admin/users/{id}":                     {users, change, onArea},
	"POST /admin/users/{id}/unlock":              {users, change, onArea},
	"POST /admin/users/{id}/reset-two-factor":    {users, change, onArea},
	"POST /admin/users/{id}/password":            {users, change, onArea},
	"POST /admin/users/{id}/approve":             {users, change, onArea},
	"POST /admin/users/{id}/password-link":       {users, change, onArea},
	"GET /admin/agencies":                        {agencies, change, onArea},
	"POST /admin/agencies":                       {agencies, change, onArea},
	"GET /admin/calendar":                        {calendar, read, onArea},
	"POST /admin/calendar/closures":              {calendar, change, onArea},
	"POST /admin/calendar/closures/{day}/remove": {calendar, change, onArea},
	"POST /admin/calendar/bank-holidays":         {calendar, change, onArea},

	"POST /api/v1/persons":                    {intel, create, onArea},
	"GET /api/v1/persons/{xid}":               {intel, read, onArea},
	"POST /api/v1/vehicles":                   {intel, create, onArea},
	"GET /api/v1/vehicles/{xid}":              {intel, read, onArea},
	"POST /api/v1/phones":                     {intel, create, onArea},
	"GET /api/v1/phones/{xid}":                {intel, read, onArea},
	"POST /api/v1/places":                     {intel, create, onArea},
	"GET /api/v1/places/{xid}":                {intel, read, onArea},
	"POST /api/v1/accounts":                   {intel, create, onArea},
	"GET /api/v1/accounts/{xid}":              {intel, read, onArea},
	"POST /api/v1/links":                      {intel, create, onArea},
	"GET /api/v1/links":                       {intel, read, onArea},
	"PUT /api/v1/links/{lid}/grading":         {intel, approve, onArea},
	"POST /api/v1/links/{lid}/withdraw":       {intel, approve, onArea},
	"GET /api/v1/children/{id}/network":       {network, read, onChild},
	"GET /api/v1/intelligence/search":         {intel, read, onArea},
	"GET /api/v1/persons/{xid}/candidates":    {intel, read, onArea},
	"POST /api/v1/persons/{xid}/merge":        {intel, merge, onArea},
	"POST /api/v1/persons/{xid}/unmerge":      {intel, merge, onArea},
	"GET /api/v1/intelligence/reviews":        {intel, merge, onArea},
	"POST /api/v1/intelligence/reviews/{pid}": {intel, merge, onArea},
	"GET /api/v1/intelligence/path":           {intel, read, onArea},
	"GET /api/v1/intelligence/shared":         {intel, read, onArea},
	"GET /api/v1/intelligence/groups":         {intel, read, onArea},
	"GET /api/v1/intelligence/most-connected": {intel, read, onArea},
	"GET /api/v1/intelligence/timeline":       {intel, read, onArea},
	"GET /api/v1/intelligence/hotspots":       {intel, read, onArea},

	// The intelligence pages: the first is the search for those who read
	// intelligence, and for those who only record it, where to record it.
	"GET /intelligence":                          {intel, create, onArea},
	"GET /intelligence/persons/new":              {intel, create, onArea},
	"POST /intelligence/persons/new":             {intel, create, onArea},
	"GET /intelligence/persons/{xid}":            {intel, read, onArea},
	"GET /intelligence/persons/{xid}/links.csv":  {intel, read, onArea},
	"GET /intelligence/vehicles/new":             {intel, create, onArea},
	"POST /intelligence/vehicles/new":            {intel, create, onArea},
	"GET /intelligence/vehicles/{xid}":           {intel, read, onArea},
	"GET /intelligence/vehicles/{xid}/links.csv": {intel, read, onArea},
	"GET /intelligence/phones/new":               {intel, create, onArea},
	"POST /intelligence/phones/new":              {intel, create, onArea},
	"GET /intelligence/phones/{xid}":             {intel, read, onArea},
	"GET /intelligence/phones/{xid}/links.csv":   {intel, read, onArea},
	"GET /intelligence/places/new":               {intel, create, onArea},
	"POST /intelligence/places/new":              {intel, create, onArea},
	"GET /intelligence/places/{xid}":             {intel, read, onArea},
	"GET /intelligence/places/{xid}/links.csv":   {intel, read, onArea},
	"GET /intelligence/accounts/new":             {intel, create, onArea},
	"POST /intelligence/accounts/new":            {intel, create, onArea},
	"GET /intelligence/accounts/{xid}":           {intel, read, onArea},
	"GET /intelligence/accounts/{xid}/links.csv": {intel, read, onArea},
	"GET /intelligence/links/new":                {intel, create, onArea},
	"POST /intelligence/links/new":               {intel, create, onArea},
	"POST /intelligence/links/{lid}/grading":     {intel, approve, onArea},
	"POST /intelligence/links/{lid}/withdraw":    {intel, approve, onArea},
	// The analyst's tools.
	"GET /intelligence/tools":                {intel, read, onArea},
	"GET /intelligence/path":                 {intel, read, onArea},
	"GET /intelligence/shared":               {intel, read, onArea},
	"GET /intelligence/groups":               {intel, read, onArea},
	"GET /intelligence/groups.csv":           {intel, read, onArea},
	"GET /intelligence/most-connected":       {intel, read, onArea},
	"GET /intelligence/most-connected.csv":   {intel, read, onArea},
	"GET /intelligence/timeline":             {intel, read, onArea},
	"GET /intelligence/hotspots":             {intel, read, onArea},
	"GET /intelligence/hotspots.csv":         {intel, read, onArea},
	"GET /intelligence/hotspots/areas.csv":   {intel, read, onArea},
	"GET /area/boundary":                     {boundary, read, onArea},
	"POST /area/boundary":                    {boundary, change, onArea},
	"GET /api/v1/area/boundary":              {boundary, read, onArea},
	"PUT /api/v1/area/boundary":              {boundary, change, onArea},
	"GET /children/{id}/network":             {network, read, onChild},
	"POST /api/v1/disruptions":               {disruption, create, onArea},
	"GET /api/v1/disruptions":                {disruption, list, onArea},
	"GET /api/v1/persons/{xid}/disruptions":  {disruption, list, onArea},
	"GET /api/v1/children/{id}/disruptions":  {disruption, read, onChild},
	"GET /api/v1/reports/disruption":         {figures, read, onArea},
	"GET /intelligence/disruption":           {disruption, list, onArea},
	"GET /intelligence/disruption.csv":       {disruption, list, onArea},
	"GET /intelligence/disruption/new":       {disruption, create, onArea},
	"POST /intelligence/disruption/new":      {disruption, create, onArea},
	"GET /children/{id}/police-form":         {intelShare, create, onChild},
	"POST /children/{id}/police-form":        {intelShare, create, onChild},
	"GET /api/v1/children/{id}/police-form":  {intelShare, create, onChild},
	"POST /api/v1/children/{id}/police-form": {intelShare, create, onChild},
	// Intelligence from a child's record: for those who may record it, on a
	// child they may see; the record must be the child's.
	"GET /children/{id}/intelligence-from/{stype}/{srcid}":         {intel, create, onChild},
	"POST /children/{id}/intelligence-from/{stype}/{srcid}":        {intel, create, onChild},
	"GET /api/v1/children/{id}/intelligence-from/{stype}/{srcid}":  {intel, create, onChild},
	"POST /api/v1/children/{id}/intelligence-from/{stype}/{srcid}": {intel, create, onChild},

	// Who else a person may be: the police and analysts merge, undo, and
	// answer the review list.
	"POST /intelligence/persons/{xid}/merge":   {intel, merge, onArea},
	"POST /intelligence/persons/{xid}/unmerge": {intel, merge, onArea},
	"GET /intelligence/reviews":                {intel, merge, onArea},
	"POST /intelligence/reviews/{pid}":         {intel, merge, onArea},

	// The strategy action plan and the register of policies
	// (docs/strategy.md): no one record, so the area's.
	"GET /strategy":                               {strategy, read, onArea},
	"GET /strategy/board":                         {strategy, read, onArea},
	"POST /strategy/board":                        {strategy, change, onArea},
	"GET /strategy/strands/new":                   {strategy, change, onArea},
	"POST /strategy/strands":                      {strategy, change, onArea},
	"GET /strategy/strands/{strandid}/edit":       {strategy, change, onArea},
	"POST /strategy/strands/{strandid}":           {strategy, change, onArea},
	"GET /strategy/actions/new":                   {strategy, change, onArea},
	"POST /strategy/actions":                      {strategy, change, onArea},
	"GET /strategy/actions/{actid}":               {strategy, read, onArea},
	"GET /strategy/actions/{actid}/edit":          {strategy, change, onArea},
	"POST /strategy/actions/{actid}":              {strategy, change, onArea},
	"POST /strategy/actions/{actid}/notes":        {strategy, change, onArea},
	"GET /policies":                               {register, read, onArea},
	"GET /policies.csv":                           {register, read, onArea},
	"GET /policies/new":                           {register, change, onArea},
	"POST /policies":                              {register, change, onArea},
	"GET /policies/{docid}":                       {register, read, onArea},
	"GET /policies/{docid}/edit":                  {register, change, onArea},
	"POST /policies/{docid}":                      {register, change, onArea},
	"GET /api/v1/strategy":                        {strategy, read, onArea},
	"POST /api/v1/strategy/strands":               {strategy, change, onArea},
	"POST /api/v1/strategy/actions":               {strategy, change, onArea},
	"GET /api/v1/strategy/actions/{actid}":        {strategy, read, onArea},
	"PUT /api/v1/strategy/actions/{actid}":        {strategy, change, onArea},
	"POST /api/v1/strategy/actions/{actid}/notes": {strategy, change, onArea},
	"GET /api/v1/strategy/board":                  {strategy, read, onArea},
	"POST /api/v1/strategy/boards":                {strategy, change, onArea},
	"GET /api/v1/policies":                        {register, read, onArea},
	"POST /api/v1/policies":                       {register, change, onArea},
	"GET /api/v1/policies/{docid}":                {register, read, onArea},
	"PUT /api/v1/policies/{docid}":                {register, change, onArea},
}
