from agendas.archive.models import (  # noqa: F401
    DestructionList,
    DestructionListItem,
    DestructionListTransition,
    DestructionRecord,
    DossierClassification,
    SelectionCategory,
)
from agendas.calendarfeed.models import CalendarFeed  # noqa: F401
from agendas.decision.models import (  # noqa: F401
    Advice,
    AgendaVersion,
    AgendaVersionUserObjectPermission,
    Decision,
    DecisionParticipant,
    DecisionYearAmount,
    ResponsePoint,
    Review,
    ReviewAssignment,
    ReviewDimensionScore,
    ReviewPriorityRemark,
    Transition,
)
from agendas.drafting.models import (  # noqa: F401
    Agenda,
    AgendaPartner,
    Attachment,
    BudgetLine,
    Comment,
    Milestone,
    PartnerCommitment,
    Priority,
)
from agendas.models.reference import BroadWelfareDimension, FundingSource, NationalProgramme, Theme  # noqa: F401
from agendas.monitoring.models import (  # noqa: F401
    BudgetLineRealisation,
    ChangeRequest,
    ChangeRequestItem,
    ChangeRequestParticipant,
    ChangeRequestTransition,
    MilestoneProgress,
    PriorityNarrative,
    ProgressReport,
    ProgressReportComment,
    ProgressReportTransition,
)
from agendas.monitoring.theory_models import ChainAssessment  # noqa: F401
from agendas.rijk.models import Ministry, RijkCommitment, RijkCommitmentReport  # noqa: F401
from agendas.summary.models import (  # noqa: F401
    AgendaSummary,
    AgendaSummaryCell,
    RegionSummaryCell,
    RegionSummaryStale,
)
from agendas.welfare.models import MonitorArea, MonitorImport, MonitorIndicator, MonitorValue  # noqa: F401
