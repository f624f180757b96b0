/**
 * Every migration, in order. Listed rather than globbed so that tsx, Jest and the compiled build
 * load the same set; a unit test checks that every file in this folder appears here.
 */
import { Foundation1700000000000 } from './1700000000000-Foundation';

export const migrations = [Foundation1700000000000];

import { Mail1700000005000 } from './1700000005000-Mail'; migrations.push(Mail1700000005000);
import { EngineRuntime1700000002000 } from './1700000002000-EngineRuntime'; migrations.push(EngineRuntime1700000002000);
import { Calendar1700000003000 } from './1700000003000-Calendar'; migrations.push(Calendar1700000003000);
import { EngineDefinitions1700000001000 } from './1700000001000-EngineDefinitions'; migrations.push(EngineDefinitions1700000001000);
import { Documents1700000004000 } from './1700000004000-Documents'; migrations.push(Documents1700000004000);
import { Cases1700000006000 } from './1700000006000-Cases'; migrations.push(Cases1700000006000);
import { Drafts1700000009000 } from './1700000009000-Drafts'; migrations.push(Drafts1700000009000);
import { Supervision1700000008000 } from './1700000008000-Supervision'; migrations.push(Supervision1700000008000);
import { ZeebeMirror1700000010000 } from './1700000010000-ZeebeMirror'; migrations.push(ZeebeMirror1700000010000);
import { InboxIndexes1700000007000 } from './1700000007000-InboxIndexes'; migrations.push(InboxIndexes1700000007000);
import { Contacts1700000011000 } from './1700000011000-Contacts'; migrations.push(Contacts1700000011000);
import { SupervisionZeebeIndexes1700000012000 } from './1700000012000-SupervisionZeebeIndexes'; migrations.push(SupervisionZeebeIndexes1700000012000);
import { EngineKeyBlocks1700000015000 } from './1700000015000-EngineKeyBlocks'; migrations.push(EngineKeyBlocks1700000015000);
import { SupervisionOverdueIndexes1700000016000 } from './1700000016000-SupervisionOverdueIndexes'; migrations.push(SupervisionOverdueIndexes1700000016000);
import { EngineMessageStartKeys1700000017000 } from './1700000017000-EngineMessageStartKeys'; migrations.push(EngineMessageStartKeys1700000017000);
import { LoginThrottle1700000018000 } from './1700000018000-LoginThrottle'; migrations.push(LoginThrottle1700000018000);
import { ComplaintIdempotency1700000019000 } from './1700000019000-ComplaintIdempotency'; migrations.push(ComplaintIdempotency1700000019000);
import { GridRoles1700000023000 } from './1700000023000-GridRoles'; migrations.push(GridRoles1700000023000);
import { EmployerFile1700000023100 } from './1700000023100-EmployerFile'; migrations.push(EmployerFile1700000023100);
import { Prevention1700000024000 } from './1700000024000-Prevention'; migrations.push(Prevention1700000024000);
import { CreditListings1700000025000 } from './1700000025000-CreditListings'; migrations.push(CreditListings1700000025000);
import { InstanceSearchIndexes1700000022000 } from './1700000022000-InstanceSearchIndexes'; migrations.push(InstanceSearchIndexes1700000022000);
import { CreditGrades1700000025100 } from './1700000025100-CreditGrades'; migrations.push(CreditGrades1700000025100);
import { InstanceMigrations1700000028100 } from './1700000028100-InstanceMigrations'; migrations.push(InstanceMigrations1700000028100);
import { EmployerSearchGrams1700000026100 } from './1700000026100-EmployerSearchGrams'; migrations.push(EmployerSearchGrams1700000026100);
import { CreditGradingRuns1700000027000 } from './1700000027000-CreditGradingRuns'; migrations.push(CreditGradingRuns1700000027000);
import { RandomDrawsPublications1700000027100 } from './1700000027100-RandomDrawsPublications'; migrations.push(RandomDrawsPublications1700000027100);
import { WrittenReview1700000027200 } from './1700000027200-WrittenReview'; migrations.push(WrittenReview1700000027200);
import { EngineDecisions1700000028000 } from './1700000028000-EngineDecisions'; migrations.push(EngineDecisions1700000028000);
import { EngineSignalsAndDeletion1700000028200 } from './1700000028200-EngineSignalsAndDeletion'; migrations.push(EngineSignalsAndDeletion1700000028200);
import { InboxDueOrder1700000026000 } from './1700000026000-InboxDueOrder'; migrations.push(InboxDueOrder1700000026000);
import { DocumentGrid1700000029000 } from './1700000029000-DocumentGrid'; migrations.push(DocumentGrid1700000029000);
import { InstanceScopes1700000029100 } from './1700000029100-InstanceScopes'; migrations.push(InstanceScopes1700000029100);
import { PatrolPhotos1700000029200 } from './1700000029200-PatrolPhotos'; migrations.push(PatrolPhotos1700000029200);
import { InboxCandidatesCarryStateAndDue1700000030000 } from './1700000030000-InboxCandidatesCarryStateAndDue'; migrations.push(InboxCandidatesCarryStateAndDue1700000030000);
import { DeadlinesNamedByLegalRule1700000030100 } from './1700000030100-DeadlinesNamedByLegalRule'; migrations.push(DeadlinesNamedByLegalRule1700000030100);
import { InstanceMigrationLeases1700000030301 } from './1700000030301-InstanceMigrationLeases'; migrations.push(InstanceMigrationLeases1700000030301);
import { ResourceKeysDistinct1700000030300 } from './1700000030300-ResourceKeysDistinct'; migrations.push(ResourceKeysDistinct1700000030300);
import { StartedInstancesScoped1700000030500 } from './1700000030500-StartedInstancesScoped'; migrations.push(StartedInstancesScoped1700000030500);
